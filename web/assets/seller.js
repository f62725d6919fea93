// The seller's reply-assist panel: the shop's inbox (escalated chats
// first), a conversation with the buyer's orders, suggested replies
// grounded in those orders, sending as a person, take-over and hand-back,
// translation, and live updates over Server-Sent Events.

import {
  APIError, ago, api, applyI18n, citationLinks, clock, errorText, getLocale, h, money, nearBottom, newID, renderText, setLocale, t, takeToken, ticket,
} from "./common.js";

const $ = (id) => document.getElementById(id);
const log = $("log");
const reply = $("reply");

const state = {
  token: takeToken("csagent.seller.token"),
  me: null,
  inbox: [],
  current: null, // the open conversation
  lastSeq: 0,
  events: null,
  translated: false,
  translations: new Map(), // seq → text in the seller's language
  unsent: null, // {conv, text, id}: the reply being sent, until it is answered
};

// ---------- toast ----------

let toastTimer;
function toast(text, isError) {
  const e = $("toast");
  e.textContent = text;
  e.className = "toast" + (isError ? " error" : "");
  e.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { e.hidden = true; }, 3500);
}

function failed(err) {
  if (err instanceof APIError && err.status === 401) return showSignIn();
  toast(errorText(err instanceof APIError ? { code: err.code, reason: err.reason } : {}), true);
}

// ---------- inbox ----------

function statusPill(status) {
  return h("span", { class: `pill ${status}` }, t(`status_${status}`));
}

async function loadInbox() {
  let data;
  try {
    data = await api(state.token, "GET", "/v1/seller/conversations");
  } catch (err) {
    return failed(err);
  }
  state.inbox = data.conversations;
  renderInbox();
}

function renderInbox() {
  const list = $("inbox");
  list.replaceChildren(...state.inbox.map((c) => {
    const initials = c.buyer_name.split(/\s+/).map((w) => w[0]).join("").slice(0, 2);
    return h("li", {},
      h("button", {
        type: "button", "aria-current": String(state.current?.conversation_id === c.conversation_id),
        dataset: { id: c.conversation_id }, onclick: () => open(c.conversation_id),
      },
      h("span", { class: "avatar" }, initials),
      h("span", { class: "body" },
        h("span", { class: "line1" }, h("span", { class: "name" }, c.buyer_name), h("span", { class: "when" }, ago(c.updated_at))),
        h("span", { class: "line2" },
          c.status !== "open" ? statusPill(c.status) : null,
          h("span", { class: "lang" }, c.locale),
          h("span", { class: "snippet" }, c.last_text)))));
  }));
  $("inbox-empty").hidden = state.inbox.length > 0;
  const escalated = state.inbox.filter((c) => c.status === "handoff").length;
  $("inbox-count").replaceChildren(
    escalated ? h("span", { class: "hot" }, `${escalated} ${t("status_handoff")}`) : "",
    h("span", {}, String(state.inbox.length)));
}

// ---------- one conversation ----------

function messageRow(m) {
  const bubble = h("div", { class: "bubble" });
  renderText(bubble, m.text, state.current?.locale || getLocale(), m.role);
  const tr = state.translations.get(m.seq);
  if (state.translated && tr && tr !== m.text) bubble.append(h("span", { class: "translation" }, tr));
  const who = m.role === "user" ? state.current.buyer_name : m.role === "agent" ? t("agent") : t("assistant");
  const row = h("div", { class: `row ${m.role}`, dataset: { seq: m.seq } }, h("div", { class: "who-label" }, who), bubble);
  const links = citationLinks(m.citations, state.current?.locale || getLocale());
  if (links.length) row.append(h("div", { class: "citations" }, links));
  row.append(h("div", { class: "time" }, clock(m.created_at)));
  return row;
}

function addMessage(m) {
  if (m.seq <= state.lastSeq) return;
  state.lastSeq = m.seq;
  const stick = nearBottom(log);
  log.append(messageRow(m));
  if (stick) log.scrollTop = log.scrollHeight;
}

function renderStatus() {
  const c = state.current;
  $("status-pill").replaceWith(Object.assign(statusPill(c.status), { id: "status-pill" }));
  // "elsewhere": routed to another shop or to support; this viewer may
  // read their part but not act on it.
  const elsewhere = c.status === "elsewhere";
  $("takeover-btn").hidden = c.status === "agent" || elsewhere;
  $("handback-btn").hidden = c.status === "open" || elsewhere;
  $("reply-hint").textContent = elsewhere ? t("reply_hint_elsewhere") : c.status === "agent" ? t("reply_hint_agent") : t("reply_hint");
}

async function open(id, keepScroll) {
  let data;
  try {
    data = await api(state.token, "GET", `/v1/seller/conversations/${encodeURIComponent(id)}`);
  } catch (err) {
    return failed(err);
  }
  const c = data.conversation;
  const switched = state.current?.conversation_id !== id;
  state.current = c;
  if (switched) {
    state.translated = false;
    state.translations.clear();
    reply.value = "";
  }
  history.replaceState(null, "", `#${id}`);
  $("panes").classList.add("open");
  $("thread-empty").hidden = true;
  $("thread").hidden = false;
  $("assist").hidden = false;
  $("buyer-name").textContent = c.buyer_name;
  $("buyer-meta").textContent = t("writes_in", { lang: t(`lang_${c.locale}`) });
  $("translate-btn").hidden = !data.can_translate || c.locale === getLocale();
  $("translate-btn").textContent = state.translated ? t("show_original") : t("translate");
  renderStatus();

  const handoff = $("handoff");
  handoff.hidden = !c.handoff_reason;
  $("handoff-reason").textContent = c.handoff_reason ? t(`reason_${c.handoff_reason}`) : "";
  // The brief in the reader's language, a line each; the stored summary
  // only when there is no brief.
  const brief = c.handoff_brief || [];
  $("handoff-summary").replaceChildren(...(brief.length
    ? brief.map((line) => h("span", { class: "brief-line" }, line))
    : [c.handoff_summary || ""]));

  const orders = $("orders");
  orders.replaceChildren(...data.orders.map((o) => h("li", {},
    h("span", { class: "oid" }, o.order_id),
    h("span", { class: "ostatus" }, `${t(`order_${o.status}`)} · ${money(o.total)}`))));
  if (!data.orders.length) orders.append(h("li", {}, t("no_orders")));

  state.lastSeq = 0;
  log.replaceChildren();
  data.messages.forEach(addMessage);
  if (!keepScroll) log.scrollTop = log.scrollHeight;
  renderInbox();
  follow();
  if (switched) loadSuggestions();
}

async function loadSuggestions() {
  const box = $("suggestions");
  const id = state.current.conversation_id;
  box.replaceChildren(h("p", { class: "loading" }, t("loading")));
  let data;
  try {
    data = await api(state.token, "GET", `/v1/seller/conversations/${encodeURIComponent(id)}/suggestions`);
  } catch (err) {
    box.replaceChildren();
    return failed(err);
  }
  if (state.current?.conversation_id !== id) return;
  if (!data.suggestions.length) {
    box.replaceChildren(h("p", { class: "loading" }, t("no_suggestions")));
    return;
  }
  // The rule behind the drafts' step, in the policy's own words and the
  // seller's language, linked to its section.
  const step = data.policy_step
    ? h("aside", { class: "policy-step" },
      h("p", { class: "label" }, t("policy_step")),
      h("p", { class: "text" }, data.policy_step.text),
      h("div", { class: "facts" }, citationLinks(data.policy_step.citations, getLocale())))
    : null;
  box.replaceChildren(...(step ? [step] : []), ...data.suggestions.map((s, i) => {
    const verdict = s.guardrail
      ? h("span", { class: `badge ${s.guardrail === "pass" ? "pass" : "warn"}` }, t(`verdict_${s.guardrail}`))
      : h("span", { class: "badge", title: t("unchecked") }, t("unchecked"));
    return h("article", { class: "suggestion", dataset: { index: i } },
      h("p", { class: "text" }, s.text),
      s.gloss ? h("p", { class: "gloss" }, s.gloss) : null,
      h("div", { class: "foot" },
        h("div", { class: "facts" },
          s.order_id ? h("span", { class: "badge" }, t("grounded", { id: s.order_id })) : null,
          verdict,
          citationLinks(s.citations, state.current.locale)),
        h("button", { type: "button", class: "primary use", onclick: () => use(s.text) }, t("use"))));
  }));
}

function use(text) {
  reply.value = text;
  reply.focus();
  reply.setSelectionRange(text.length, text.length);
}

// ---------- actions ----------

$("reply-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = reply.value.trim();
  if (!text || !state.current) return;
  const btn = $("send-btn");
  btn.disabled = true;
  // The same reply to the same conversation keeps its id until it is
  // answered: a resend after a lost answer is the server's duplicate,
  // not a second message to the buyer.
  const conv = state.current.conversation_id;
  if (state.unsent?.conv !== conv || state.unsent.text !== text) state.unsent = { conv, text, id: newID() };
  try {
    const out = await api(state.token, "POST", `/v1/seller/conversations/${encodeURIComponent(conv)}/messages`,
      { id: state.unsent.id, text });
    state.unsent = null;
    reply.value = "";
    addMessage(out.message);
    log.scrollTop = log.scrollHeight;
    if (state.current.status !== "agent") {
      state.current.status = "agent";
      renderStatus();
    }
    toast(t("sent"));
    loadInbox();
  } catch (err) {
    failed(err);
  } finally {
    btn.disabled = false;
  }
});
reply.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && !e.isComposing) {
    e.preventDefault();
    $("reply-form").requestSubmit();
  }
});

async function move(action, done) {
  try {
    const out = await api(state.token, "POST", `/v1/seller/conversations/${encodeURIComponent(state.current.conversation_id)}/${action}`);
    state.current.status = out.status;
    renderStatus();
    toast(t(done));
    loadInbox();
  } catch (err) {
    failed(err);
  }
}
$("takeover-btn").addEventListener("click", () => move("takeover", "took_over"));
$("handback-btn").addEventListener("click", () => move("handback", "handed_back"));

$("translate-btn").addEventListener("click", async () => {
  const btn = $("translate-btn");
  if (state.translated) {
    state.translated = false;
    btn.textContent = t("translate");
    return open(state.current.conversation_id, true);
  }
  btn.disabled = true;
  btn.textContent = t("translating");
  try {
    const out = await api(state.token, "POST", `/v1/seller/conversations/${encodeURIComponent(state.current.conversation_id)}/translate`);
    for (const tr of out.translations) state.translations.set(tr.seq, tr.text);
    state.translated = true;
    await open(state.current.conversation_id, true);
  } catch (err) {
    btn.textContent = t("translate");
    failed(err);
  } finally {
    btn.disabled = false;
  }
});

$("refresh-suggestions").addEventListener("click", () => state.current && loadSuggestions());
$("back").addEventListener("click", () => {
  $("panes").classList.remove("open");
  state.current = null;
  history.replaceState(null, "", location.pathname);
  renderInbox();
  follow();
});

// ---------- live updates ----------

let inboxTimer;
async function follow() {
  state.events?.close();
  state.events = null;
  const wanted = state.current;
  let tk;
  try {
    tk = await ticket(state.token, "events");
  } catch (err) {
    if (err instanceof APIError && err.status === 401) return showSignIn();
    setTimeout(() => { if (!state.events && state.current === wanted) follow(); }, 3000);
    return;
  }
  // Another follow may have started meanwhile (the seller switched).
  if (state.events || state.current !== wanted) return;
  const q = new URLSearchParams({ ticket: tk });
  if (state.current) {
    q.set("conversation_id", state.current.conversation_id);
    q.set("after", String(state.lastSeq));
  }
  const es = new EventSource(`/v1/seller/events?${q}`);
  state.events = es;
  es.addEventListener("ready", () => $("live").classList.add("on"));
  es.addEventListener("inbox", () => {
    clearTimeout(inboxTimer);
    inboxTimer = setTimeout(loadInbox, 150);
  });
  es.addEventListener("message", (e) => {
    const m = JSON.parse(e.data);
    if (state.current) addMessage(m);
  });
  // A message stamped into (or out of) this shop's part after later ones
  // arrived: open the conversation again.
  es.addEventListener("reload", () => {
    if (state.current) open(state.current.conversation_id, true);
  });
  es.addEventListener("status", (e) => {
    const f = JSON.parse(e.data);
    if (!state.current) return;
    state.current.status = f.status;
    renderStatus();
  });
  // The server ends the stream when the token expires or the seller
  // signs out; a ticket is used once, so reconnecting needs a new one.
  es.addEventListener("end", () => {
    es.close();
    $("live").classList.remove("on");
    showSignIn();
  });
  es.onerror = () => {
    $("live").classList.remove("on");
    if (es.readyState === EventSource.CLOSED) setTimeout(() => { if (state.events === es) follow(); }, 3000);
  };
}

// The assist cards sit beside the transcript on wide screens and under it
// on narrow ones.
const narrow = matchMedia("(max-width: 1180px)");
function placeAssist() {
  const assist = $("assist");
  if (narrow.matches) $("thread").insertBefore(assist, $("reply-form"));
  else $("panes").append(assist);
}
narrow.addEventListener("change", placeAssist);

// ---------- start ----------

function showSignIn() {
  $("signin").hidden = false;
  $("panes").hidden = true;
  state.events?.close();
}

async function start() {
  setLocale(document.documentElement.lang);
  if (!state.token) return showSignIn();
  try {
    state.me = await api(state.token, "GET", "/v1/me");
  } catch (err) {
    if (err instanceof APIError && err.status === 401) return showSignIn();
    toast(errorText({ code: err.code }), true);
    setTimeout(start, 3000);
    return;
  }
  // Sellers see their shop's part; platform support sees every conversation.
  if (state.me.role !== "seller" && state.me.role !== "support") return showSignIn();
  setLocale(state.me.locale);
  applyI18n(document);
  $("shop-name").textContent = state.me.shop_name;
  $("me-name").textContent = state.me.name;
  placeAssist();
  await loadInbox();
  const wanted = location.hash.slice(1);
  if (/^c_[0-9a-z]{10,40}$/.test(wanted)) await open(wanted);
  else follow();
}

start();
