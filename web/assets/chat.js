// The buyer's chat widget: protocol v1 over the websocket (docs/protocol.md).
// It resumes its conversation after any disconnect with the last seq it
// showed, so every stored message appears exactly once.

import {
  APIError, api, applyI18n, citationLinks, clock, errorText, getLocale, h, nearBottom, newID, renderText, setLocale, t, takeToken, ticket,
} from "./common.js";

const $ = (id) => document.getElementById(id);
const log = $("log");
const input = $("input");
const sendBtn = $("send");

const state = {
  token: takeToken("csagent.buyer.token"),
  me: null,
  convID: "",
  lastSeq: 0,
  status: "open",
  ws: null,
  ready: false,
  retries: 0,
  pending: new Map(), // client id → the row of a message not yet stored
  streams: new Map(), // turn id → the bubble a reply streams into
  activity: new Map(), // turn id → its tool progress
  confirms: new Map(), // action id → its card
  deciding: null, // the card whose answer was just sent
  starting: false, // a new conversation was asked for and is not ready yet
};

function convKey() {
  return `csagent.conversation.${state.me.id}`;
}

function scrollDown(force) {
  if (force || nearBottom(log)) log.scrollTop = log.scrollHeight;
}

function append(node, force) {
  const stick = force || nearBottom(log);
  log.append(node);
  $("welcome").hidden = true;
  if (stick) log.scrollTop = log.scrollHeight;
}

// ---------- connection ----------

function setConnection(kind) {
  const dot = $("status-dot");
  dot.className = "dot" + (kind === "online" ? (state.status === "open" ? " online" : " busy") : "");
  const text = {
    connecting: t("connecting"),
    reconnecting: t("reconnecting"),
    online: state.status === "agent" ? t("online_person") : state.status === "handoff" ? t("waiting_person") : t("online_assistant"),
  }[kind];
  $("status-text").textContent = text;
  const usable = kind === "online";
  input.disabled = !usable;
  sendBtn.disabled = !usable;
}

// retry reconnects after a backoff, unless the session is over.
function retry() {
  setConnection("reconnecting");
  const wait = Math.min(10000, 400 * 2 ** state.retries) * (0.7 + Math.random() * 0.6);
  state.retries++;
  setTimeout(async () => {
    if (state.retries > 2 && !(await stillSignedIn())) return;
    connect();
  }, wait);
}

async function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  let tk;
  try {
    tk = await ticket(state.token, "chat");
  } catch (e) {
    if (e instanceof APIError && e.status === 401) return showSignIn(t("session_expired"));
    return retry();
  }
  const ws = new WebSocket(`${proto}//${location.host}/v1/chat/ws?ticket=${encodeURIComponent(tk)}`);
  state.ws = ws;
  state.ready = false;
  ws.onopen = () => hello();
  ws.onmessage = (e) => {
    let f;
    try { f = JSON.parse(e.data); } catch { return; }
    handle(f);
  };
  ws.onclose = (e) => {
    if (state.ws !== ws) return;
    state.ready = false;
    state.starting = false; // the reconnect resumes the conversation shown
    // 4001: the token expired; 4003: signed out. Retrying cannot help.
    if (e.code === 4001 || e.code === 4003) return showSignIn(t("session_expired"));
    retry();
  };
}

function hello(convID = state.convID, lastSeq = state.lastSeq) {
  state.ws.send(JSON.stringify({ type: "hello", conversation_id: convID, last_seq: lastSeq, locale: getLocale() }));
}

async function stillSignedIn() {
  try {
    await api(state.token, "GET", "/v1/me");
    return true;
  } catch (e) {
    if (e instanceof APIError && e.status === 401) {
      showSignIn(t("session_expired"));
      return false;
    }
    return true;
  }
}

// ---------- frames ----------

function handle(f) {
  switch (f.type) {
    case "ready": return onReady(f);
    case "message": return onMessage(f);
    case "delta": return onDelta(f);
    case "tool": return onTool(f);
    case "confirm_request": return onConfirmRequest(f);
    case "handoff": return setStatus("handoff");
    case "status": return setStatus(f.status);
    case "error": return onError(f);
  }
}

function onReady(f) {
  state.ready = true;
  state.retries = 0;
  if (state.starting) {
    // The new conversation is open: only now does the old one leave the page.
    state.starting = false;
    clearConversation();
  }
  if (state.convID !== f.conversation_id) {
    state.convID = f.conversation_id;
    localStorage.setItem(convKey(), f.conversation_id);
  }
  setStatus(f.status || "open", true);
  setConnection("online");
  $("rate-btn").hidden = false;
  $("new-btn").hidden = false;
  if (f.seq === 0 && state.lastSeq === 0 && state.pending.size === 0) $("welcome").hidden = false;
  // Messages that failed while offline can go again now.
  for (const [id, row] of state.pending) {
    if (row.classList.contains("failed")) resend(id);
  }
}

function roleLabel(role) {
  return role === "agent" ? t("agent") : role === "assistant" ? t("assistant") : "";
}

function messageRow(m) {
  const bubble = h("div", { class: "bubble" });
  renderText(bubble, m.text, getLocale(), m.role);
  const row = h("div", { class: `row ${m.role}`, dataset: { seq: m.seq || "" } },
    m.role === "user" ? null : h("div", { class: "who-label" }, roleLabel(m.role)),
    bubble);
  const links = citationLinks(m.citations, getLocale());
  if (links.length) row.append(h("div", { class: "citations" }, links));
  row.append(h("div", { class: "time" }, clock(m.created_at)));
  return row;
}

function onMessage(m) {
  if (m.seq <= state.lastSeq) {
    // A reply shown before, sent again because a decision was repeated.
    if (state.deciding) {
      settleCard(state.deciding);
      state.deciding = null;
      showTyping(false);
    }
    return;
  }
  state.lastSeq = m.seq;
  if (m.role === "user" && m.id && state.pending.has(m.id)) {
    const row = state.pending.get(m.id);
    state.pending.delete(m.id);
    row.classList.remove("pending", "failed");
    row.dataset.seq = m.seq;
    row.querySelector(".retry")?.remove();
    return;
  }
  if (m.role !== "user") {
    showTyping(false);
    if (state.deciding) {
      settleCard(state.deciding);
      state.deciding = null;
    }
  }
  const streamed = state.streams.get(m.turn_id);
  const row = messageRow(m);
  if (streamed && m.role === "assistant") {
    streamed.replaceWith(row);
    state.streams.delete(m.turn_id);
    scrollDown();
    return;
  }
  append(row);
}

function onDelta(f) {
  showTyping(false);
  let row = state.streams.get(f.turn_id);
  if (!row) {
    row = h("div", { class: "row assistant" }, h("div", { class: "who-label" }, t("assistant")), h("div", { class: "bubble" }));
    state.streams.set(f.turn_id, row);
    append(row);
  }
  row.querySelector(".bubble").append(f.text);
  scrollDown();
}

function onTool(f) {
  let box = state.activity.get(f.turn_id);
  if (!box) {
    box = h("div", { class: "activity" });
    state.activity.set(f.turn_id, box);
    append(box);
  }
  let step = box.querySelector(`[data-tool="${CSS.escape(f.name)}"]`);
  if (!step) {
    const label = t(`tool_${f.name}`) === `tool_${f.name}` ? t("tool_other") : t(`tool_${f.name}`);
    step = h("span", { class: "step", dataset: { tool: f.name } }, label);
    box.append(step);
  }
  step.className = "step" + (f.status === "done" ? " done" : f.status === "error" ? " error" : "");
  scrollDown();
}

function onConfirmRequest(f) {
  if (state.confirms.has(f.action_id)) return;
  const yes = h("button", { type: "button", class: "primary", onclick: () => decide(card, f.action_id, true) }, t("confirm"));
  const no = h("button", { type: "button", class: "ghost", onclick: () => decide(card, f.action_id, false) }, t("decline"));
  const card = h("div", { class: "confirm-card", dataset: { action: f.action_id } },
    h("h3", {}, t("confirm_title")),
    h("p", {}, f.summary),
    h("div", { class: "actions" }, yes, no));
  state.confirms.set(f.action_id, card);
  showTyping(false);
  append(card);
}

function decide(card, actionID, approved) {
  if (!state.ready) return;
  card.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  card.dataset.answer = approved ? "confirmed" : "declined";
  card.querySelector(".actions").replaceWith(h("div", { class: "state" }, t("confirming")));
  state.deciding = card;
  state.ws.send(JSON.stringify({ type: "confirm", action_id: actionID, approved }));
  showTyping(true);
}

function settleCard(card, text) {
  card.classList.add("done");
  const s = card.querySelector(".state");
  if (s) s.textContent = text || t(card.dataset.answer);
}

// retryIn says when sending the same message again can succeed: now (0),
// after some seconds, or never (null) — a message too long, or forbidden,
// fails the same way every time, so no Retry button is offered for it.
function retryIn(f) {
  switch (f.code) {
    case "unavailable":
    case "internal":
      return 0;
    case "rate_limited":
      return f.reason === "busy" ? 5 : (f.retry_after || 5);
    default:
      return null;
  }
}

function onError(f) {
  showTyping(false);
  if (state.starting && !f.id) {
    // The new conversation was refused (too many at once): the connection
    // stays on the one shown, and so does the page.
    state.starting = false;
    append(h("div", { class: "note error" }, errorText(f)), true);
    return;
  }
  if (f.code === "not_found" && !state.ready) {
    // The saved conversation is gone: start a new one.
    state.convID = "";
    state.lastSeq = 0;
    localStorage.removeItem(convKey());
    hello();
    return;
  }
  if (f.id && state.pending.has(f.id)) {
    markFailed(f.id, errorText(f), retryIn(f));
    return;
  }
  if (state.deciding) {
    settleCard(state.deciding, errorText(f));
    state.deciding = null;
    return;
  }
  append(h("div", { class: "note error" }, errorText(f)));
}

function setStatus(status, quiet) {
  const prev = state.status;
  state.status = status;
  const banner = $("banner");
  banner.className = "banner";
  if (status === "handoff") {
    banner.textContent = t("handoff_banner");
    banner.hidden = false;
  } else if (status === "agent") {
    banner.textContent = t("agent_banner");
    banner.classList.add("agent");
    banner.hidden = false;
  } else {
    banner.hidden = true;
  }
  if (!quiet && prev !== status) {
    if (status === "agent") append(h("div", { class: "note" }, t("agent_joined")));
    if (prev === "agent" && status === "open") append(h("div", { class: "note" }, t("assistant_back")));
  }
  if (status === "agent") showTyping(false);
  if (state.ready) setConnection("online");
}

// ---------- sending ----------

let typingTimer;
function showTyping(on) {
  clearTimeout(typingTimer);
  $("typing").hidden = !on || state.status === "agent";
  if (on) typingTimer = setTimeout(() => { $("typing").hidden = true; }, 60000);
}

function send(text) {
  text = text.trim();
  if (!text) return;
  const id = newID();
  const row = messageRow({ role: "user", text, created_at: new Date().toISOString() });
  row.classList.add("pending");
  state.pending.set(id, row);
  row.dataset.text = text;
  append(row, true);
  transmit(id, text);
}

function transmit(id, text) {
  if (!state.ready || state.ws.readyState !== WebSocket.OPEN) {
    markFailed(id, t("not_sent"));
    return;
  }
  state.ws.send(JSON.stringify({ type: "user_message", id, text }));
  showTyping(true);
}

function resend(id) {
  const row = state.pending.get(id);
  if (!row) return;
  row.classList.remove("failed");
  row.classList.add("pending");
  row.querySelector(".retry")?.remove();
  row.querySelector(".time").textContent = clock();
  transmit(id, row.dataset.text);
}

// markFailed shows why message id was not sent, and a Retry button when
// sending it again can succeed: at once (after) 0, after that many seconds,
// or never (null).
function markFailed(id, why, after = 0) {
  const row = state.pending.get(id);
  if (!row) return;
  row.classList.remove("pending");
  row.classList.add("failed");
  row.querySelector(".time").textContent = why;
  clearTimeout(row.retryTimer);
  row.querySelector(".retry")?.remove();
  if (after === null) {
    // Nothing will change on the server's side: the text stays for the
    // buyer to shorten or reword.
    state.pending.delete(id);
    if (!input.value.trim()) {
      input.value = row.dataset.text;
      grow();
    }
    return;
  }
  const offer = () => {
    if (row.classList.contains("failed") && !row.querySelector(".retry")) {
      row.append(h("button", { type: "button", class: "retry", onclick: () => resend(id) }, t("retry")));
    }
  };
  if (after > 0) row.retryTimer = setTimeout(offer, after * 1000);
  else offer();
}

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  send(input.value);
  input.value = "";
  grow();
});
input.addEventListener("keydown", (e) => {
  // Enter sends, Shift+Enter breaks the line; never while an IME composes.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    $("composer").requestSubmit();
  }
});
function grow() {
  input.style.height = "auto";
  input.style.height = Math.min(input.scrollHeight, 140) + "px";
}
input.addEventListener("input", grow);

// ---------- new conversation and rating ----------

// clearConversation takes the shown conversation off the page.
function clearConversation() {
  localStorage.removeItem(convKey());
  state.convID = "";
  state.lastSeq = 0;
  state.pending.clear();
  state.streams.clear();
  state.activity.clear();
  state.confirms.clear();
  log.querySelectorAll(":scope > :not(#welcome)").forEach((n) => n.remove());
}

// A new conversation replaces the shown one once the server has opened it;
// if it refuses (too many new conversations), the shown one stays, as the
// connection does.
$("new-btn").addEventListener("click", () => {
  if (!state.ready || state.starting) return;
  state.starting = true;
  hello("", 0);
});

const rating = { thumbs: null, csat: null };
const dialog = $("rate-dialog");
$("rate-btn").addEventListener("click", () => {
  $("rate-error").hidden = true;
  dialog.showModal();
});
$("rate-cancel").addEventListener("click", () => dialog.close());
dialog.querySelectorAll("[data-thumbs]").forEach((b) => b.addEventListener("click", () => {
  rating.thumbs = rating.thumbs === b.dataset.thumbs ? null : b.dataset.thumbs;
  dialog.querySelectorAll("[data-thumbs]").forEach((x) => x.setAttribute("aria-pressed", String(x.dataset.thumbs === rating.thumbs)));
}));
dialog.querySelectorAll("[data-csat]").forEach((b) => b.addEventListener("click", () => {
  rating.csat = Number(b.dataset.csat);
  dialog.querySelectorAll("[data-csat]").forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
}));
$("rate-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const comment = $("rate-comment").value.trim();
  if (!rating.thumbs && !rating.csat && !comment) {
    $("rate-error").textContent = t("rate_empty");
    $("rate-error").hidden = false;
    return;
  }
  try {
    await api(state.token, "POST", `/v1/conversations/${encodeURIComponent(state.convID)}/rating`,
      { thumbs: rating.thumbs, csat: rating.csat, comment });
    dialog.close();
    append(h("div", { class: "note" }, t("thanks_rating")), true);
  } catch (err) {
    $("rate-error").textContent = errorText(err instanceof APIError ? { code: err.code, reason: err.reason } : {});
    $("rate-error").hidden = false;
  }
});

// ---------- start ----------

function showSignIn(text) {
  $("signin").hidden = false;
  if (text) $("signin").querySelector("p").textContent = text;
  input.disabled = true;
  sendBtn.disabled = true;
  $("status-text").textContent = "";
}

async function start() {
  setLocale(document.documentElement.lang);
  if (!state.token) return showSignIn();
  try {
    state.me = await api(state.token, "GET", "/v1/me");
  } catch (e) {
    if (e instanceof APIError && e.status === 401) return showSignIn(t("session_expired"));
    setConnection("reconnecting");
    setTimeout(start, 3000);
    return;
  }
  if (state.me.role !== "buyer") return showSignIn();
  setLocale(state.me.locale);
  applyI18n(document);
  $("welcome-hi").textContent = t("welcome_hi", { name: state.me.name.split(" ")[0] });
  const starters = $("starters");
  starters.replaceChildren(...["starter_1", "starter_2", "starter_3"].map((k) =>
    h("button", { type: "button", class: "chip", onclick: () => send(t(k)) }, t(k))));
  state.convID = localStorage.getItem(convKey()) || "";
  connect();
}

start();
