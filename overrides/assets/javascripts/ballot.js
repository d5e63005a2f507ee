/* The Ballot page: one member's vote, saved as a ballot file (ConsensusCore.ballotJson).
   Reads and writes only the Ballot page's own elements; sends nothing anywhere. The vote is kept
   in this browser's storage until cleared, so a closed tab loses nothing. */
(function () {
  "use strict";

  const root = document.getElementById("tk-ballot-items");
  const source = document.getElementById("tk-assess-data");
  if (!root || !source || typeof ConsensusCore === "undefined") return;
  const DATA = JSON.parse(source.textContent);
  const KEY = "implementation-toolkit-ballot:" + DATA.toolkit.title;
  const items = Array.from(root.querySelectorAll(".tk-ballot-item"));
  const alias = document.getElementById("ballot-alias");
  const round = document.getElementById("ballot-round");
  const onePerScreen = document.getElementById("ballot-one-per-screen");
  const steps = document.getElementById("tk-ballot-steps");
  let current = 0;

  function status(text, bad) {
    const box = document.getElementById("tk-ballot-status");
    box.textContent = text;
    box.classList.toggle("tk-bad", Boolean(bad));
  }

  /** The ballot as the page shows it: what ConsensusCore.ballotJson writes. */
  function collect() {
    const votes = new Map();
    items.forEach((item) => {
      const chosen = item.querySelector("input[type=radio]:checked");
      votes.set(item.dataset.practice, {
        rating: chosen && chosen.value ? chosen.value : null,
        criteria: Array.from(item.querySelectorAll("input[type=checkbox]:checked"), (box) => box.value),
        note: ToolkitCore.normaliseText(item.querySelector("textarea").value),
      });
    });
    const number = Math.min(ToolkitCore.MAX_ROUND, Math.max(1, parseInt(round.value, 10) || 1));
    return {
      alias: ToolkitCore.normaliseText(alias.value, true), round: number, votes: votes,
    };
  }

  function show(ballot) {
    alias.value = ballot.alias;
    round.value = String(ballot.round);
    items.forEach((item) => {
      const vote = ballot.votes.get(item.dataset.practice) ||
        { rating: null, criteria: [], note: "" };
      item.querySelectorAll("input[type=radio]").forEach((radio) => {
        radio.checked = radio.value === (vote.rating || "");
      });
      item.querySelectorAll("input[type=checkbox]").forEach((box) => {
        box.checked = vote.criteria.indexOf(box.value) >= 0;
      });
      item.querySelector("textarea").value = vote.note;
    });
  }

  function text() {
    return ConsensusCore.ballotJson(collect(), DATA);
  }

  function keep() {
    try { localStorage.setItem(KEY, text()); } catch (error) { /* storage off: the file is the record */ }
  }

  function restore() {
    let stored = null;
    try { stored = localStorage.getItem(KEY); } catch (error) { return; }
    if (!stored) return;
    const read = ConsensusCore.readBallot(new TextEncoder().encode(stored), DATA, "stored ballot");
    if (read.ballot) {
      show(read.ballot);
      status("Your ballot from this browser is back. Save it as a file when you are done.");
    }
  }

  function fileName(ballot) {
    const slug = ballot.alias.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
    return "ballot-" + (slug || "member") + "-round-" + ballot.round + ".json";
  }

  function save() {
    const ballot = collect();
    const saved = ConsensusCore.ballotJson(ballot, DATA);
    const read = ConsensusCore.readBallot(new TextEncoder().encode(saved), DATA, "this ballot");
    if (read.problems) {
      status("Not saved: " + read.problems.slice(0, 3).join(" "), true);
      return;
    }
    const name = fileName(ballot);
    const url = URL.createObjectURL(new Blob([saved], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    status("The browser was asked to download " + name + ". Check that it is in your downloads, " +
      "then give it to the facilitator.");
  }

  function clearDevice() {
    if (!window.confirm("Remove this ballot from this browser and empty the form?")) return;
    try { localStorage.removeItem(KEY); } catch (error) { /* nothing stored */ }
    show({ alias: "", round: 1, votes: new Map() });
    status("The ballot was removed from this browser.");
  }

  function layout() {
    const single = onePerScreen.checked;
    root.classList.toggle("tk-one-per-screen", single);
    steps.hidden = !single;
    items.forEach((item, index) => { item.hidden = single && index !== current; });
    document.getElementById("tk-ballot-position").textContent = single
      ? "Item " + (current + 1) + " of " + items.length : "";
    steps.querySelector("[data-action=previous-item]").disabled = current === 0;
    steps.querySelector("[data-action=next-item]").disabled = current === items.length - 1;
  }

  function step(by) {
    current = Math.max(0, Math.min(items.length - 1, current + by));
    layout();
    const heading = items[current].querySelector(".tk-statement");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  document.getElementById("tk-ballot-tools").hidden = false;
  document.querySelectorAll(".tk-needs-script").forEach((note) => { note.hidden = true; });
  root.addEventListener("input", keep);
  root.addEventListener("change", keep);
  alias.addEventListener("input", keep);
  round.addEventListener("change", keep);
  onePerScreen.addEventListener("change", () => { current = 0; layout(); });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "save-ballot") save();
    else if (action === "clear-ballot") clearDevice();
    else if (action === "previous-item") step(-1);
    else if (action === "next-item") step(1);
  });
  if (window.matchMedia && window.matchMedia("(max-width: 40em)").matches) onePerScreen.checked = true;
  restore();
  layout();
})();
