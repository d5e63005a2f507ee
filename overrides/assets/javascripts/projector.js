/* The projector view of consensus scoring: one best practice per screen in large type, its
   statement and criteria, the votes hidden until Reveal. Keyboard: Right or N next, Left or P
   previous, R reveal, Escape close. Opened by merge.js ("tk-projector" event); writes only
   #tk-projector. */
(function () {
  "use strict";

  const view = document.getElementById("tk-projector");
  const source = document.getElementById("tk-assess-data");
  if (!view || !source) return;
  const DATA = JSON.parse(source.textContent);
  const PRACTICES = new Map(), DRIVERS = new Map();
  DATA.categories.forEach((c) => c.drivers.forEach((d) => d.practices.forEach((p) => {
    PRACTICES.set(p.id, p);
    DRIVERS.set(p.id, d.name);
  })));
  const $ = (css) => view.querySelector(css);
  let ids = [], counts = new Map(), at = 0, revealed = false, opener = null;

  function draw() {
    const id = ids[at];
    const practice = PRACTICES.get(id);
    $(".tk-projector-where").textContent = DRIVERS.get(id) + ", best practice " +
      practice.number + " (item " + (at + 1) + " of " + ids.length + ")";
    $(".tk-projector-statement").textContent = practice.statement;
    const items = practice.criteria ? practice.criteria.items.map((item) => item.text) : [];
    $(".tk-projector-criteria").replaceChildren(...items.map((text) => {
      const li = document.createElement("li");
      li.textContent = text;
      return li;
    }));
    $(".tk-projector-votes").textContent = revealed
      ? "Votes (score: voters): " + counts.get(id) : "Votes hidden: press R to reveal.";
    view.querySelector("[data-projector=reveal]").textContent = revealed ? "Hide (R)" : "Reveal (R)";
    $(".tk-projector-statement").focus();
  }

  function go(by) {
    at = Math.max(0, Math.min(ids.length - 1, at + by));
    revealed = false;
    draw();
  }

  function close() {
    view.hidden = true;
    document.documentElement.classList.remove("tk-projecting");
    if (opener) opener.focus();
  }

  const keys = {
    ArrowRight: () => go(1), n: () => go(1), N: () => go(1), PageDown: () => go(1),
    ArrowLeft: () => go(-1), p: () => go(-1), P: () => go(-1), PageUp: () => go(-1),
    r: () => { revealed = !revealed; draw(); }, R: () => { revealed = !revealed; draw(); },
    Escape: close,
  };

  document.addEventListener("tk-projector", (event) => {
    ids = event.detail.ids;
    counts = event.detail.counts;
    if (!ids.length) return;
    opener = document.activeElement;
    at = 0;
    revealed = false;
    view.hidden = false;
    document.documentElement.classList.add("tk-projecting");
    draw();
  });
  view.addEventListener("keydown", (event) => {
    if (event.target.tagName === "BUTTON" && (event.key === "Enter" || event.key === " ")) return;
    if (Object.prototype.hasOwnProperty.call(keys, event.key)) {
      event.preventDefault();
      keys[event.key]();
    } else if (event.key === "Tab") { // the focus stays in the view
      const buttons = Array.from(view.querySelectorAll("button"));
      const index = buttons.indexOf(document.activeElement);
      const next = event.shiftKey ? (index <= 0 ? buttons.length - 1 : index - 1)
        : (index + 1) % buttons.length;
      event.preventDefault();
      buttons[next].focus();
    }
  });
  view.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-projector]");
    if (!button) return;
    const action = button.getAttribute("data-projector");
    if (action === "next") go(1);
    else if (action === "previous") go(-1);
    else if (action === "reveal") { revealed = !revealed; draw(); button.focus(); }
    else close();
  });
})();
