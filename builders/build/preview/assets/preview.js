// triptych preview: mirrors the server's state (sent as server-sent events) into the page, updating in place
// so that each column keeps its scroll position, open speaker notes stay open, and nothing reloads.
"use strict";

const shown = {};           // format → the JSON of the view on the page, to skip what did not change
const $ = (selector, root = document) => root.querySelector(selector);
const STATUS = {
  starting: () => "Starting…",
  building: (s) => `Building${s.reason ? " — " + s.reason : ""}…`,
  rendering: (s) => `Rendering the ${s.reason}…`,
  ready: (s) => `Up to date · built ${s.built_at}`,
  error: () => "Build failed",
  offline: () => "Disconnected — is triptych preview still running?",
};

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("state", (event) => apply(JSON.parse(event.data)));
  events.onerror = () => setStatus("offline", {});  // the browser retries by itself
}

function apply(state) {
  const title = state.title || state.source || "triptych preview";
  $("#title").textContent = title;
  $("#title").title = title;  // the bar may cut a long title short: the whole of it on hover
  $("#subtitle").textContent = state.subtitle || "";
  document.title = `${title} — triptych preview`;
  if (state.language) document.documentElement.lang = state.language;
  setStatus(state.status, state);
  showList($("#problems"), state.problems, null);
  showList($("#warnings"), state.warnings, (n) => `${n} warning${n === 1 ? "" : "s"}`);
  document.body.classList.toggle("failed", state.problems.length > 0);
  const anything = Object.keys(state.views).length > 0;
  $("#problems h2 span").textContent = anything ? "— the views show the last good build" : "— fix it and save: the views follow";
  document.querySelectorAll(".column").forEach((column) => {
    column.classList.toggle("updating", state.pending.includes(column.dataset.view));
    $(".empty", column).textContent = state.problems.length ? "Nothing built yet." : "Building…";
  });
  for (const [name, view] of Object.entries(state.views)) {
    const json = JSON.stringify(view);
    if (shown[name] === json) continue;
    shown[name] = json;
    const column = $(`.column[data-view="${name}"]`);
    const note = $(".note", column);
    note.hidden = !view.note;
    note.textContent = view.note;
    $(".empty", column).hidden = true;
    ({pdf: showPages, pptx: showSlides, epub: showChapters})[name]($(".items", column), view.items);
    $(".count", column).textContent = counted(view.items.length, {pdf: "page", pptx: "slide", epub: "chapter"}[name]);
  }
}

function setStatus(status, state) {
  const box = $("#status");
  box.dataset.status = status;
  $(".text", box).textContent = (STATUS[status] || STATUS.starting)(state);
  document.body.classList.toggle("busy", status === "building" || status === "rendering");
  document.body.classList.remove("starting");
}

function showList(box, lines, summary) {
  box.hidden = lines.length === 0;
  if (summary) $("summary", box).textContent = summary(lines.length);
  $("ul", box).replaceChildren(...lines.map((line) => element("li", {}, line)));
}

// Each view keeps its elements and changes only their sources: the column does not jump, and the browser
// keeps showing an image until its new version has loaded.
function sync(container, items, key, make) {
  const existing = [...container.children];
  items.forEach((item, index) => {
    let node = existing[index];
    if (!node) container.append(node = make(item));
    node.setAttribute(key, item[key === "data-epub" ? "href" : "n"]);
  });
  existing.slice(items.length).forEach((node) => node.remove());
  return [...container.children];
}

function showPages(container, items) {
  sync(container, items, "data-pdf-page", () => element("figure", {class: "sheet"}, element("img", {loading: "lazy"})))
    .forEach((node, i) => setImage($("img", node), items[i], `Page ${items[i].n}`));
}

function showSlides(container, items) {
  sync(container, items, "data-slide", () => element("article", {class: "slide"},
    element("div", {class: "frame"}), element("span", {class: "number"}),
    element("details", {class: "notes"}, element("summary", {}, "Speaker notes"), element("div", {class: "notes-text"}))))
    .forEach((node, i) => {
      const item = items[i];
      const frame = $(".frame", node);
      if (item.src) {
        let img = $("img", frame);
        if (!img) frame.replaceChildren(img = element("img", {loading: "lazy"}));
        setImage(img, item, `Slide ${item.n}: ${item.outline[0] || ""}`);
      } else {
        frame.replaceChildren(element("div", {class: "outline"},
          element("h3", {}, item.outline[0] || `Slide ${item.n}`),
          element("ul", {}, ...item.outline.slice(1).map((line) => element("li", {}, line)))));
      }
      $(".number", node).textContent = item.n;
      const notes = $(".notes", node);
      notes.classList.toggle("none", !item.notes);
      $("summary", notes).textContent = item.notes ? "Speaker notes" : "No speaker notes";
      $(".notes-text", notes).textContent = item.notes;
      if (!item.notes) notes.open = false;
    });
}

function showChapters(container, items) {
  sync(container, items, "data-epub", () => element("article", {class: "chapter"}, element("span", {class: "label"})))
    .forEach((node, i) => {
      $(".label", node).textContent = items[i].title;
      const current = node.querySelector("iframe:last-of-type");
      if (current && current.dataset.src === items[i].src) return;
      // The new chapter loads hidden behind the old one, then takes its place: no blank flash, no jump.
      const next = element("iframe", {sandbox: "allow-same-origin", title: items[i].title, class: "loading"});
      next.dataset.src = items[i].src;
      if (current) next.style.height = current.style.height;
      next.addEventListener("load", () => {
        fit(next);
        node.querySelectorAll("iframe").forEach((frame) => frame !== next && frame.remove());
        next.classList.remove("loading");
        const doc = next.contentDocument;
        if (doc && doc.fonts) doc.fonts.ready.then(() => fit(next));
      });
      next.src = items[i].src;
      node.append(next);
    });
}

function fit(frame) {
  const doc = frame.contentDocument;
  if (!doc || !doc.documentElement) return;
  doc.documentElement.style.overflow = "hidden";
  frame.style.height = `${Math.ceil(doc.documentElement.scrollHeight)}px`;
}

function setImage(img, item, alt) {
  img.width = item.width;
  img.height = item.height;
  img.alt = alt;
  if (img.getAttribute("src") !== item.src) img.src = item.src;
}

function element(name, attributes, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function counted(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

// The view switch: side by side, each column can be hidden; on a narrow screen the buttons are tabs.
function setupSwitch() {
  const narrow = matchMedia("(max-width: 1000px)");
  const buttons = [...document.querySelectorAll(".switch button")];
  const saved = JSON.parse(localStorage.getItem("triptych-preview-views") || "null");
  const show = (names) => {
    if (narrow.matches && names.length > 1) names = [names[0]];
    buttons.forEach((b) => b.setAttribute("aria-pressed", names.includes(b.dataset.show)));
    document.querySelectorAll(".column").forEach((c) => { c.hidden = !names.includes(c.dataset.view); });
    localStorage.setItem("triptych-preview-views", JSON.stringify(names));
  };
  const pressed = () => buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.show);
  buttons.forEach((button) => button.addEventListener("click", () => {
    const name = button.dataset.show;
    if (narrow.matches) return show([name]);
    const now = pressed();
    show(now.includes(name) ? (now.length > 1 ? now.filter((n) => n !== name) : now) : [...now, name]);
  }));
  narrow.addEventListener("change", () => show(narrow.matches ? pressed() : ["pdf", "pptx", "epub"]));
  show(Array.isArray(saved) && saved.length ? saved : ["pdf", "pptx", "epub"]);
}

function setupNotes() {
  const button = $("#all-notes");
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", open);
    button.textContent = open ? "Hide notes" : "Show notes";
    document.querySelectorAll(".slide .notes:not(.none)").forEach((d) => { d.open = open; });
  });
  document.addEventListener("click", (event) => {  // a slide without notes has nothing to open
    if (event.target.closest(".notes.none > summary")) event.preventDefault();
  });
}

setupSwitch();
setupNotes();
connect();
