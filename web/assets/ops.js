// The operations page: every view is HTML the server renders (charts
// included); this module only fetches it with the staff token in the
// Authorization header, follows #/… links, posts the review forms,
// downloads CSV and YAML, and sorts tables.
import { APIError, api, takeToken } from "./common.js";

const token = takeToken("csagent.ops.token");
const view = document.getElementById("view");
const toast = document.getElementById("toast");

function say(msg) {
  toast.textContent = msg;
  toast.hidden = false;
  setTimeout(() => { toast.hidden = true; }, 4000);
}

function signin(why) {
  view.hidden = true;
  document.getElementById("signin").hidden = false;
  if (why) document.getElementById("signin-why").textContent = why;
}

async function fetchAuth(path) {
  const r = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
  if (!r.ok) {
    let msg = r.statusText;
    try { msg = (await r.json()).error.message; } catch { /* not JSON */ }
    throw new APIError(r.status, "", msg);
  }
  return r;
}

// route maps the fragment to the API view: #/dashboard?x → /v1/ops/dashboard?x.
function route() {
  const h = location.hash.replace(/^#\/?/, "") || "dashboard";
  const [p, q] = h.split("?");
  const parts = p.split("/");
  let path;
  if (parts[0] === "conversation" && parts[1]) path = `/v1/ops/conversations/${encodeURIComponent(parts[1])}`;
  else if (parts[0] === "conversations") path = "/v1/ops/conversations";
  else if (parts[0] === "reviews") path = "/v1/ops/reviews";
  else if (parts[0] === "experiments") path = "/v1/ops/experiments";
  else if (parts[0] === "experiment" && parts[1]) path = `/v1/ops/experiments/${encodeURIComponent(parts[1])}`;
  else path = "/v1/ops/dashboard";
  return q ? `${path}?${q}` : path;
}

async function show(ev) {
  if (!token) return signin();
  try {
    const r = await fetchAuth(route());
    view.innerHTML = await r.text();
    view.dataset.loaded = route();
    if (ev) window.scrollTo(0, 0);
  } catch (e) {
    if (e.status === 401) return signin("Your session has ended; please sign in again.");
    if (e.status === 403) return signin("The operations dashboard is for platform staff only.");
    say(e.message);
  }
}

// download fetches an authorised file and saves it under name.
async function download(href, name) {
  try {
    const r = await fetchAuth(href);
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    say(e.message);
  }
}

// sortTable sorts tbody rows by column i, numbers by data-v or text.
function sortTable(th) {
  const table = th.closest("table");
  const i = [...th.parentNode.children].indexOf(th);
  const num = th.dataset.type === "num";
  const dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
  table.querySelectorAll("th").forEach((x) => x.removeAttribute("aria-sort"));
  th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
  const key = (tr) => {
    const td = tr.children[i];
    if (!td) return "";
    const v = td.dataset.v ?? td.textContent.trim();
    if (!num) return v;
    const n = parseFloat(v);
    return Number.isNaN(n) ? -Infinity : n;
  };
  const body = table.tBodies[0];
  [...body.rows].sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0)).forEach((r) => body.append(r));
}

view.addEventListener("click", (ev) => {
  const dl = ev.target.closest("a[data-download]");
  if (dl) {
    ev.preventDefault();
    download(dl.getAttribute("href"), dl.dataset.download);
    return;
  }
  const th = ev.target.closest("table.sortable th");
  if (th) {
    sortTable(th);
    return;
  }
  const help = ev.target.closest("button.help");
  if (help) {
    const p = help.closest(".card-num").querySelector(".helptext");
    p.hidden = !p.hidden;
  }
});

view.addEventListener("submit", async (ev) => {
  const form = ev.target;
  ev.preventDefault();
  const data = new FormData(form);
  if (form.id === "filters") {
    const q = new URLSearchParams();
    for (const [k, v] of data) if (v) q.set(k, v);
    location.hash = `#/dashboard?${q}`;
    return;
  }
  const body = Object.fromEntries(data);
  if ("tools" in body) body.tools = body.tools.split(/[\s,]+/).filter(Boolean);
  if (form.classList.contains("review-form") && !body.label) return say("Choose correct or incorrect.");
  try {
    await api(token, "POST", form.dataset.post, body);
    say("Saved.");
    await show();
  } catch (e) {
    say(e.message);
  }
});

window.addEventListener("hashchange", show);
show();
