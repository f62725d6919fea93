// What the chat and the seller panel share: words, sign-in, the API, and
// rendering text safely (only through DOM text nodes, never innerHTML).

import { strings } from "./i18n.js";

let locale = "en";

// setLocale switches the page's words to l (en, ko, es, ru).
export function setLocale(l) {
  locale = strings[l] ? l : "en";
  document.documentElement.lang = locale;
  applyI18n(document);
}

export function getLocale() {
  return locale;
}

// t returns the word for key in the page's language, with {var}s filled.
export function t(key, vars) {
  let s = strings[locale]?.[key] ?? strings.en[key] ?? key;
  if (vars) {
    for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  }
  return s;
}

// applyI18n fills the data-i18n* attributes under root.
export function applyI18n(root) {
  root.querySelectorAll("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((e) => { e.placeholder = t(e.dataset.i18nPlaceholder); });
  root.querySelectorAll("[data-i18n-title]").forEach((e) => {
    e.title = t(e.dataset.i18nTitle);
    e.setAttribute("aria-label", e.title);
  });
  root.querySelectorAll("[data-i18n-aria]").forEach((e) => { e.setAttribute("aria-label", t(e.dataset.i18nAria)); });
}

// takeToken moves a token handed over in the URL fragment
// (#access_token=…) into this tab's session storage under key and removes
// it from the address bar, then returns the tab's token, if any. Fragments
// are never sent to servers, so the token shows in no log.
export function takeToken(key) {
  const params = new URLSearchParams(location.hash.slice(1));
  const tok = params.get("access_token");
  if (tok) {
    sessionStorage.setItem(key, tok);
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(key);
}

// APIError is an error answer of the API: its HTTP status and stable code.
export class APIError extends Error {
  constructor(status, code, message, reason) {
    super(message);
    this.status = status;
    this.code = code;
    this.reason = reason || "";
  }
}

// api calls the JSON API with the bearer token and returns the decoded
// answer, or throws an APIError.
export async function api(token, method, path, body) {
  const opts = { method, headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, opts);
  } catch (e) {
    throw new APIError(0, "unavailable", String(e));
  }
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!r.ok) throw new APIError(r.status, data?.error?.code || "internal", data?.error?.message || r.statusText, data?.error?.reason);
  return data;
}

// ticket buys a single-use ticket (valid ~30 s) for the chat websocket
// (purpose "chat") or the seller's event stream ("events"): browsers cannot
// send the Authorization header on those, and a bearer token never goes in
// a URL, where proxies, logs and history would keep it.
export async function ticket(token, purpose) {
  const out = await api(token, "POST", "/v1/tickets", { purpose });
  return out.ticket;
}

// bidiControls are the bidi embeddings, overrides and isolates, which can
// make text read other than it is; shown text never carries them.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;

// newID returns a random id for a message, so a resend is recognised.
export function newID() {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return "m-" + Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

// h builds an element: h("div", {class: "x", onclick: f}, child, "text").
export function h(tag, props, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "class") e.className = v;
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null && c !== false) e.append(c);
  }
  return e;
}

// slug is a heading's anchor on its policy page, computed as the server
// does (web/markdown.go, anchor).
export function slug(s) {
  const out = s.toLowerCase().split(/[^\p{L}\p{Nd}]+/u).filter(Boolean).join("-");
  return out || "section";
}

// citePattern finds citations in a reply: "[refunds §Refund window]".
const citePattern = /\[([a-z0-9][a-z0-9-]{0,63}) §([^\]\n]{1,120})\]/g;

// policyLink is a link to a policy document's section.
export function policyLink(doc, heading, loc) {
  return h("a", {
    class: "cite", href: `/policies/${doc}/${loc}#${slug(heading)}`, target: "_blank", rel: "noopener", title: `${doc} § ${heading}`,
  }, heading.trim());
}

// renderText appends a message's text to e as plain text. Only the
// assistant's replies turn their citation markers into links to the policy
// text: the guardrails checked those against the retrieved policy, while a
// buyer's or a person's "[refunds §…]" is their own words and must not
// look like the policy.
export function renderText(e, text, loc, role) {
  text = String(text).replace(bidiControls, "");
  if (role !== "assistant") {
    e.append(text);
    return;
  }
  let last = 0;
  for (const m of text.matchAll(citePattern)) {
    e.append(text.slice(last, m.index));
    e.append(policyLink(m[1], m[2], loc));
    last = m.index + m[0].length;
  }
  e.append(text.slice(last));
}

// citationLinks renders a message's structured citations, whatever shape
// each has: a "[doc §heading]" string, or an object with doc_id and
// heading (or a url and a title).
export function citationLinks(citations, loc) {
  if (!Array.isArray(citations)) return [];
  const out = [];
  for (const c of citations) {
    if (typeof c === "string") {
      for (const m of c.matchAll(citePattern)) out.push(policyLink(m[1], m[2], loc));
    } else if (c && typeof c === "object") {
      const doc = c.doc_id || c.doc;
      const heading = c.heading || c.title || doc;
      if (c.url && /^\/policies\//.test(c.url)) {
        out.push(h("a", { class: "cite", href: c.url, target: "_blank", rel: "noopener" }, c.title || heading));
      } else if (doc && /^[a-z0-9][a-z0-9-]{0,63}$/.test(doc)) {
        out.push(policyLink(doc, heading, c.locale || loc));
      }
    }
  }
  return out;
}

// errorText words an error frame or API error ({code, reason}) in the
// page's language by its code and reason; the server's message is English,
// for developers, and never shown.
export function errorText(f) {
  const byReason = {
    too_long: () => t("error_too_long", { max: MAX_CHARS.toLocaleString(getLocale()) }),
    empty: () => t("error_empty"),
    not_text: () => t("error_not_text"),
    too_fast: () => (f.retry_after ? t("error_too_fast", { s: f.retry_after }) : t("error_rate_limited")),
    busy: () => t("error_busy"),
  }[f.reason];
  if (byReason) return byReason();
  const key = {
    invalid: "error_invalid",
    rate_limited: "error_rate_limited",
    unavailable: "error_unavailable",
    internal: "error_unavailable",
    conflict: "error_conflict",
    forbidden: "error_forbidden",
    not_found: "error_not_found",
    unauthorized: "session_expired",
  }[f.code];
  return t(key || "error_generic");
}

// MAX_CHARS is the server's limit on a message, in characters
// (agent.MaxMessageChars).
const MAX_CHARS = 4000;

// clock formats a time of day in the page's language.
export function clock(iso) {
  const d = iso ? new Date(iso) : new Date();
  return new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" }).format(d);
}

// ago says how long ago iso was, in the page's language.
export function ago(iso) {
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  if (s < 60) return rtf.format(0, "second");
  if (s < 3600) return rtf.format(-Math.floor(s / 60), "minute");
  if (s < 86400) return rtf.format(-Math.floor(s / 3600), "hour");
  return rtf.format(-Math.floor(s / 86400), "day");
}

// money formats an amount in minor units.
export function money(m) {
  try {
    const f = new Intl.NumberFormat(locale, { style: "currency", currency: m.currency });
    const digits = f.resolvedOptions().maximumFractionDigits;
    return f.format(m.minor / 10 ** digits);
  } catch {
    return `${m.minor} ${m.currency}`;
  }
}

// nearBottom reports whether a scrolled element shows its end.
export function nearBottom(e) {
  return e.scrollHeight - e.scrollTop - e.clientHeight < 80;
}
