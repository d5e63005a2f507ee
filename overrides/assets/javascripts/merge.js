/* Consensus scoring on the Assess page: merging ballot files (or counts typed from the tally
   sheet) with ConsensusCore, and the record of each item. It writes only #tk-merge; the record
   and the agreed rating go to assess.js as "tk-consensus" events (the file is assess.js's),
   and the projector view (projector.js) is opened with a "tk-projector" event. */
(function () {
  "use strict";

  const root = document.getElementById("tk-merge");
  const source = document.getElementById("tk-assess-data");
  if (!root || !source || typeof ConsensusCore === "undefined") return;
  const DATA = JSON.parse(source.textContent);
  const PRACTICES = ToolkitCore.practicesOf(DATA);
  const DRIVERS = new Map();
  DATA.categories.forEach((c) => c.drivers.forEach((d) => d.practices.forEach((p) => {
    DRIVERS.set(p.id, d.name);
  })));
  const $ = (css, node) => (node || document).querySelector(css);
  const byId = (id) => document.getElementById(id);
  const body = $(".tk-merge-table tbody", root);
  const rows = new Map(); // practice id -> its <tr>
  let ballots = []; // read ballots (ConsensusCore.readBallot), in the order opened
  let records = new Map(); // practice id -> consensus record (ToolkitCore's shape)
  let shown = new Map(); // practice id -> the item merged for the round shown
  const typed = new Map(); // practice id -> {counts, not_rated} typed from the tally sheet

  function status(text, bad) {
    const box = byId("tk-merge-status");
    box.textContent = text;
    box.classList.toggle("tk-problem", Boolean(bad));
  }

  function fillList(box, lines) {
    $("ul", box).replaceChildren(...lines.map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
    box.hidden = lines.length === 0;
  }

  function label(id) {
    const practice = PRACTICES.get(id);
    return DRIVERS.get(id) + " " + practice.number + ". " + practice.statement;
  }

  // --- the table: one row per best practice, built once; drawing only sets text ------------

  function buildRows() {
    const template = byId("tk-merge-row");
    PRACTICES.forEach((practice, id) => {
      const row = template.content.firstElementChild.cloneNode(true);
      row.dataset.practice = id;
      $(".tk-merge-item", row).textContent = label(id);
      row.querySelectorAll("[data-for]").forEach((text) => {
        const name = text.getAttribute("data-for");
        text.setAttribute("for", "merge-" + id + "-" + name);
        text.appendChild(Object.assign(document.createElement("span"),
          { className: "tk-sr", textContent: " of " + label(id) }));
      });
      row.querySelectorAll("[data-record]").forEach((field) => {
        field.id = "merge-" + id + "-" + field.getAttribute("data-record");
      });
      const typedBox = $(".tk-merge-typed-counts", row);
      DATA.scale.map((r) => [r.id, String(r.score) + " (" + r.label + ")"])
        .concat([[ToolkitCore.NOT_RATED, DATA.not_rated]]).forEach(([key, words]) => {
          const input = Object.assign(document.createElement("input"), {
            type: "number", min: "0", max: "1000", id: "merge-" + id + "-typed-" + key,
          });
          input.dataset.typed = key;
          const text = Object.assign(document.createElement("label"), { htmlFor: input.id });
          text.textContent = words + " ";
          text.appendChild(Object.assign(document.createElement("span"),
            { className: "tk-sr", textContent: "votes on " + label(id) }));
          typedBox.append(text, input, " ");
        });
      rows.set(id, row);
    });
    body.replaceChildren(...rows.values());
  }

  function roundShown() {
    return Math.min(9, Math.max(1, parseInt(byId("tk-merge-round").value, 10) || 1));
  }

  /** Merge the ballots of the round shown (typed counts win where the team typed them). */
  function compute() {
    shown = ConsensusCore.merge(ballots, DATA, roundShown());
    if (byId("tk-merge-typed").checked) {
      typed.forEach((given, id) => {
        shown.set(id, ConsensusCore.item(given.counts, given.not_rated, DATA));
      });
    }
  }

  function share(item) {
    const given = Object.keys(item.counts).reduce((sum, key) => sum + item.counts[key], 0);
    return given ? Math.max.apply(null, Object.values(item.counts)) / given : 1;
  }

  function roundsText(record) {
    return record.rounds.map((counts, index) => "Round " + (index + 1) + ": " +
      ConsensusCore.countsText(Object.fromEntries(counts), counts.get(ToolkitCore.NOT_RATED) || 0,
        DATA)).join("; ");
  }

  const FLAG_WORDS = { extremes: "lowest and highest both voted", split: "no clear majority" };

  function order() {
    const ids = Array.from(PRACTICES.keys());
    const onlyFlagged = byId("tk-merge-flagged").checked;
    const chosen = onlyFlagged ? ids.filter((id) => shown.get(id).flags.length) : ids;
    if (byId("tk-merge-sort").checked) {
      const rank = (id) => -shown.get(id).flags.length * 10 + share(shown.get(id));
      return chosen.map((id, index) => [rank(id), index, id]).sort((a, b) => a[0] - b[0] || a[1] - b[1])
        .map((entry) => entry[2]);
    }
    return chosen;
  }

  let drawing = false, again = false;

  /** Draw once at a time: moving a focused row blurs it, and a blur may fire "change". */
  function draw() {
    if (drawing) { again = true; return; }
    if (!rows.size) buildRows(); // the first draw builds the table
    drawing = true;
    try { drawNow(); } finally { drawing = false; }
    if (again) { again = false; draw(); }
  }

  function drawNow() {
    compute();
    const typing = byId("tk-merge-typed").checked;
    const visible = order();
    const inView = new Set(visible);
    rows.forEach((row, id) => {
      const item = shown.get(id);
      const voters = Object.values(item.counts).reduce((a, b) => a + b, 0) + item.not_rated;
      $(".tk-merge-counts", row).textContent = voters
        ? ConsensusCore.countsText(item.counts, item.not_rated, DATA) : "No votes yet";
      $(".tk-merge-flags", row).textContent = item.flags.map((flag) => FLAG_WORDS[flag]).join("; ") +
        (item.unanimous ? "All alike" : "");
      row.classList.toggle("tk-flagged", item.flags.length > 0);
      row.classList.toggle("tk-no-record", !records.has(id));
      row.hidden = !inView.has(id);
      $(".tk-merge-typed-counts", row).hidden = !typing;
      const record = records.get(id);
      $(".tk-merge-rounds", row).textContent = record && record.rounds.length
        ? roundsText(record) : "No round recorded";
      showRecord(row, id, record);
    });
    // Rows move only when the order changes: moving the focused row would blur it mid-draw.
    const now = Array.from(body.children, (row) => row.dataset.practice).filter((id) => inView.has(id));
    if (now.join(" ") !== visible.join(" ")) body.append(...visible.map((id) => rows.get(id)));
    const needs = Array.from(records.keys()).filter((id) => records.get(id).needs_evidence);
    fillList(byId("tk-needs-evidence"), needs.map(label));
    $("#tk-needs-evidence .tk-none").hidden = needs.length > 0;
    byId("tk-needs-evidence").hidden = false;
    root.classList.toggle("tk-merge-empty", records.size === 0);
    const aliases = ballots.map((ballot) => ballot.alias || "(no alias)");
    const list = byId("tk-merge-aliases-list");
    list.hidden = !byId("tk-merge-aliases").checked || !ballots.length;
    list.textContent = "Aliases: " + aliases.join(", ");
  }

  function showRecord(row, id, record) {
    const radio = document.querySelector("input[name='" + CSS.escape(id) + "-rating']:checked");
    const agreed = $("[data-record=agreed]", row);
    if (document.activeElement !== agreed) agreed.value = radio ? radio.value : "";
    ToolkitCore.CONSENSUS_TEXTS.forEach((name) => {
      const field = $("[data-record=" + name + "]", row);
      if (document.activeElement !== field) field.value = record ? record[name] : "";
    });
    $("[data-record=needs_evidence]", row).checked = Boolean(record && record.needs_evidence);
    const words = [];
    if (record && agreed.value) {
      const rating = DATA.scale.find((r) => r.id === agreed.value);
      words.push("Agreed: " + (rating ? rating.label + ", " + rating.score : agreed.value) +
        (record.prefilled ? " (prefilled: all alike)" : "") + ".");
    }
    if (record) {
      [["rationale", "Rationale"], ["evidence", "Evidence"], ["dissent", "Dissent"]]
        .forEach(([name, title]) => { if (record[name]) words.push(title + ": " + record[name]); });
      if (record.needs_evidence) words.push("Needs evidence.");
    }
    $(".tk-merge-summary", row).textContent = words.join(" ");
    $(".tk-merge-prefilled", row).hidden = !(record && record.prefilled);
  }

  function emptyRecord() {
    return { rounds: [], rationale: "", evidence: "", dissent: "", needs_evidence: false,
      prefilled: false };
  }

  function send(id, record, rating) {
    const detail = { id: id, record: record };
    if (rating !== undefined) detail.rating = rating;
    document.dispatchEvent(new CustomEvent("tk-consensus", { detail: detail }));
  }

  /** Keep the counts shown as a new round of every item that has votes (a re-vote is a new
   round; earlier ones stay). An item all voted alike is prefilled with that rating and marked,
   unless the team already recorded a rating; nothing else is decided here. */
  function keepRound() {
    let kept = 0;
    shown.forEach((item, id) => {
      const voters = Object.values(item.counts).reduce((a, b) => a + b, 0) + item.not_rated;
      if (!voters) return;
      const record = Object.assign(emptyRecord(), records.get(id) || {});
      if (record.rounds.length >= ToolkitCore.MAX_ROUNDS) return;
      record.rounds = record.rounds.concat([ConsensusCore.roundCounts(item)]);
      records.set(id, record);
      kept += 1;
      const radio = document.querySelector("input[name='" + CSS.escape(id) + "-rating']:checked");
      if (item.unanimous && !(radio && radio.value)) {
        record.prefilled = true;
        const rating = Object.keys(item.counts).find((key) => item.counts[key] > 0);
        send(id, record, rating);
      } else {
        send(id, record);
      }
    });
    status(kept ? "Recorded the counts of " + kept + " best practices as a round. Save the " +
      "assessment to keep them." : "No votes to record: open ballots or type counts first.", !kept);
    draw();
  }

  function readFiles(files) {
    const list = Array.from(files);
    return Promise.all(list.map((file) => file.arrayBuffer().then((buffer) =>
      [file.name, ConsensusCore.readBallot(new Uint8Array(buffer), DATA, file.name)])));
  }

  function open(files) {
    readFiles(files).then(add);
  }

  /** Merge read ballots ([file name, ConsensusCore.readBallot result] pairs) and draw. */
  function add(results) {
    const problems = [], unplaced = [];
    let added = 0, other = 0;
    results.forEach(([name, read]) => {
      if (read.problems) { problems.push(...read.problems); return; }
      ballots.push(read.ballot);
      added += 1;
      if (read.ballot.content_version !== DATA.toolkit.content_version) other += 1;
      read.ballot.unplaced.forEach((what) => unplaced.push(name + ": " + what));
    });
    fillList(byId("tk-merge-problems"), problems);
    fillList(byId("tk-merge-unplaced"), unplaced);
    const rounds = ballots.map((ballot) => ballot.round);
    if (added) byId("tk-merge-round").value = String(Math.max.apply(null, rounds));
    status("Merged " + added + " ballot" + (added === 1 ? "" : "s") + " (" + ballots.length +
      " in all; aliases hidden)." + (other ? " " + other + " saved with another version of " +
      "the best practices: what cannot be placed is listed." : "") +
      (problems.length ? " " + (results.length - added) + " not merged: see below." : ""),
    problems.length > 0);
    draw();
  }

  /** Set the ballots aside (the recorded rounds stay). */
  function clear() {
    ballots = [];
    typed.clear();
    fillList(byId("tk-merge-problems"), []);
    fillList(byId("tk-merge-unplaced"), []);
  }

  function recordChanged(event) {
    const field = event.target;
    const row = field.closest("tr[data-practice]");
    if (!row || !field.hasAttribute("data-record")) return;
    const id = row.dataset.practice;
    const name = field.getAttribute("data-record");
    const record = Object.assign(emptyRecord(), records.get(id) || {});
    if (name === "agreed") {
      record.prefilled = false; // the team chose it
      records.set(id, record);
      send(id, record, field.value || null);
    } else {
      record[name] = name === "needs_evidence" ? field.checked
        : ToolkitCore.normaliseText(field.value);
      records.set(id, record);
      send(id, record);
    }
    if (name === "needs_evidence" || name === "agreed") draw();
  }

  function typedChanged(event) {
    const input = event.target;
    const row = input.closest("tr[data-practice]");
    if (!row || !input.hasAttribute("data-typed")) return;
    const counts = Object.create(null);
    let notRated = 0;
    row.querySelectorAll("[data-typed]").forEach((box) => {
      const value = Math.min(1000, Math.max(0, parseInt(box.value, 10) || 0));
      if (box.dataset.typed === ToolkitCore.NOT_RATED) notRated = value;
      else counts[box.dataset.typed] = value;
    });
    typed.set(row.dataset.practice, { counts: counts, not_rated: notRated });
    draw();
  }

  root.addEventListener("change", (event) => {
    if (event.target.hasAttribute("data-typed")) typedChanged(event);
    else if (event.target.hasAttribute("data-record")) recordChanged(event);
    else if (event.target.id === "tk-ballot-files") {
      open(event.target.files);
      event.target.value = "";
    } else if (event.target.id && event.target.id.indexOf("tk-merge-") === 0) draw();
  });
  root.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA" && event.target.hasAttribute("data-record")) {
      recordChanged(event);
    }
  });
  root.addEventListener("click", (event) => {
    const toggle = event.target.closest("button[data-merge-toggle]");
    if (toggle) { // a row's record fields, shown or hidden
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      $(".tk-merge-fields", toggle.closest("tr")).hidden = !open;
      return;
    }
    const button = event.target.closest("button[data-merge]");
    if (!button) return;
    const action = button.getAttribute("data-merge");
    if (action === "open") byId("tk-ballot-files").click();
    else if (action === "keep-round") keepRound();
    else if (action === "clear") {
      clear();
      status("The ballots were set aside; the recorded rounds stay in the assessment.");
      draw();
    } else if (action === "projector") {
      const ids = order();
      const counts = new Map(ids.map((id) => [id, $(".tk-merge-counts", rows.get(id)).textContent]));
      document.dispatchEvent(new CustomEvent("tk-projector", { detail: { ids: ids, counts: counts } }));
    }
  });
  document.addEventListener("tk-records", (event) => {
    records = new Map(event.detail);
    if (rows.size || records.size) draw(); // a file with records shows them at once
    else root.classList.add("tk-merge-empty");
  });
  document.addEventListener("change", (event) => { // a rating chosen in the form
    if (rows.size && event.target.closest && event.target.closest(".tk-assess-item")) draw();
  });

  root.hidden = false;
  document.dispatchEvent(new CustomEvent("tk-records-wanted"));
  // 33 rows of fields, rarely used: built when the section comes near (or a file, a print or
  // a click needs them), so the page loads without them.
  window.addEventListener("beforeprint", draw);
  if (window.IntersectionObserver) {
    const near = new IntersectionObserver((seen) => {
      if (seen.some((entry) => entry.isIntersecting)) { near.disconnect(); draw(); }
    }, { rootMargin: "100% 0px" });
    near.observe(root);
  } else draw();
  window.TkMerge = { add: add, clear: clear }; // for the benchmark: merging without files // for the benchmark and the tests
})();
