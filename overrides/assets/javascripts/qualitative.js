/* The Assess page's Qualitative Drivers Assessment and team composition: the answer fields per
   question (the team's, or one per respondent in interview mode), gaps carried into the plan,
   and the two parts of the Composition Analysis Template. It reads and writes only its own
   elements (#tk-qual, #tk-composition, #tk-composition-summary) and hands assess.js the two
   sections of the record (window.TkQualitative): one file, one Save, one automatic copy and one
   set of recent versions for everything a team records. Text typed by the team is only ever set
   as a form value or as textContent. Checking is toolkit-core.js's, with Python's messages. */
(function () {
  "use strict";

  const Core = window.ToolkitCore;
  const dataNode = document.getElementById("tk-assess-data");
  const root = document.getElementById("tk-qual");
  const team = document.getElementById("tk-composition");
  if (!Core || !dataNode || !root || !team) return;
  const DATA = JSON.parse(dataNode.textContent);
  const QUESTIONS = new Map(DATA.questions.map((question) => [question.id, question]));
  const DRIVER_NAMES = new Map();
  DATA.categories.forEach((c) => c.drivers.forEach((d) => DRIVER_NAMES.set(d.id, d.name)));
  const ACTION_FIELDS = Core.ACTION_FIELDS;
  const $ = (selector, within) => (within || document).querySelector(selector);
  const $$ = (selector, within) => Array.from((within || document).querySelectorAll(selector));

  // answers by question id: {team: answer, respondents: [answer by respondent position]};
  // kept: answers to questions this toolkit does not have, saved again unchanged
  let answers = new Map();
  let kept = new Map();
  let members = [];
  let groups = [];

  const blankAnswer = () => ({ text: "", noted: "", carry: false, action: null });

  function respondents() {
    return $("#qual-respondents").value.split("\n").map((line) => line.trim()).filter(Boolean)
      .filter((name, index, all) => all.indexOf(name) === index);
  }

  function mode() { return $("#qual-mode-interview").checked ? "interview" : "team"; }

  function slot(id, who) {
    if (!answers.has(id)) answers.set(id, { team: blankAnswer(), respondents: [] });
    const item = answers.get(id);
    if (who === "team") return item.team;
    while (item.respondents.length <= who) item.respondents.push(blankAnswer());
    return item.respondents[who];
  }

  const hasContent = (answer) => Boolean(answer.text || answer.noted || answer.carry);

  // --- the record ------------------------------------------------------------------------------

  function answerJson(answer, respondent) {
    const item = { respondent: respondent, text: answer.text, noted: answer.noted, action: null };
    if (answer.noted === "gap" && answer.carry) {
      item.action = Object.create(null);
      ACTION_FIELDS.forEach((name) => { item.action[name] = (answer.action || {})[name] || ""; });
    }
    return item;
  }

  /** The qualitative section as toolkit-core.js holds it, or null when nothing is recorded. */
  function qualitative() {
    const names = mode() === "interview" ? respondents() : [];
    const result = new Map(kept);
    answers.forEach((item, id) => {
      const list = [];
      if (hasContent(item.team)) list.push(answerJson(item.team, ""));
      names.forEach((name, index) => {
        const answer = item.respondents[index];
        if (answer && hasContent(answer)) list.push(answerJson(answer, name));
      });
      if (list.length) result.set(id, list);
    });
    if (!result.size && !names.length && mode() === "team") return null;
    return { mode: mode(), respondents: respondents(), answers: result };
  }

  /** The composition, or null when both parts are empty. */
  function composition() {
    if (!members.length && !groups.length) return null;
    return {
      members: members.map((member) => Object.assign(Object.create(null), member)),
      groups: groups.map((group) => ({ characteristic: group.characteristic, group: group.group,
        count: group.count })),
    };
  }

  /** Put a read assessment's two sections in the page (toolkit-core.js's shape). */
  function apply(assessment) {
    answers = new Map();
    kept = new Map();
    const q = assessment.qualitative;
    $("#qual-mode-team").checked = !q || q.mode !== "interview";
    $("#qual-mode-interview").checked = Boolean(q) && q.mode === "interview";
    $("#qual-respondents").value = q ? q.respondents.join("\n") : "";
    if (q) {
      q.answers.forEach((list, id) => {
        if (!QUESTIONS.has(id)) { kept.set(id, list); return; }
        list.forEach((answer) => {
          const index = q.respondents.indexOf(answer.respondent);
          const target = answer.respondent ? slot(id, index) : slot(id, "team");
          target.text = answer.text;
          target.noted = answer.noted;
          target.carry = Boolean(answer.action);
          target.action = answer.action ? Object.assign({}, answer.action) : null;
        });
      });
    }
    const c = assessment.composition;
    members = c ? c.members.map((member) => Object.assign({}, member)) : [];
    groups = c ? c.groups.map((group) => Object.assign({}, group)) : [];
    render(true);
  }

  /** Rows for the action plan: every gap the team carried, with the question it came from. */
  function planRows() {
    const rows = [];
    const q = qualitative();
    if (!q) return rows;
    DATA.questions.forEach((question, index) => {
      (q.answers.get(question.id) || []).forEach((answer) => {
        if (!answer.action) return;
        const who = answer.respondent ? " (" + answer.respondent + ")" : "";
        const values = {
          driver: DRIVER_NAMES.get(question.driver) || question.driver,
          "best-practice-or-gap": "Gap noted" + who + ": " + answer.text + " From question " +
            (index + 1) + ": " + question.text,
        };
        ACTION_FIELDS.forEach((name) => {
          values[name] = name === "priority" ? (DATA.priorities[answer.action.priority] || "")
            : answer.action[name];
        });
        rows.push({ id: "question:" + question.id, values: values });
      });
    });
    return rows;
  }

  // --- drawing ---------------------------------------------------------------------------------

  function labelled(tag, id, label, attributes) {
    const p = document.createElement("p");
    const l = document.createElement("label");
    l.htmlFor = id;
    l.textContent = label;
    const field = document.createElement(tag);
    field.id = id;
    Object.keys(attributes || {}).forEach((name) => field.setAttribute(name, attributes[name]));
    p.append(l, field);
    return [p, field];
  }

  function answerBlock(id, who, title, number) {
    const answer = slot(id, who);
    const key = "qa-" + id + "-" + who;
    const block = document.createElement("div");
    block.className = "tk-qual-answer";
    block.setAttribute("data-question", id);
    block.setAttribute("data-slot", String(who));
    const heading = document.createElement("p");
    heading.className = "tk-qual-who";
    heading.textContent = title;
    const [textP, text] = labelled("textarea", key + "-text",
      "Answer" + (who === "team" ? "" : " of " + title) + " to question " + number,
      { rows: "2", maxlength: String(Core.TEXT_LIMIT), "data-q-field": "text" });
    text.value = answer.text;
    const [notedP, noted] = labelled("select", key + "-noted", "Gap or strength noted",
      { "data-q-field": "noted" });
    [["", "Neither"], ["gap", "Gap"], ["strength", "Strength"]].forEach(([value, label]) => {
      noted.appendChild(new Option(label, value, false, answer.noted === value));
    });
    const carryP = document.createElement("p");
    carryP.className = "tk-qual-carry";
    const carry = document.createElement("input");
    carry.type = "checkbox";
    carry.id = key + "-carry";
    carry.setAttribute("data-q-field", "carry");
    carry.checked = answer.carry;
    const carryLabel = document.createElement("label");
    carryLabel.htmlFor = carry.id;
    carryLabel.textContent = "Carry this gap into the action plan";
    carryP.append(carry, " ", carryLabel);
    carryP.hidden = answer.noted !== "gap";
    const fields = document.createElement("div");
    fields.className = "tk-qual-action";
    fields.setAttribute("data-key", key);
    showAction(fields, answer);
    block.append(heading, textP, notedP, carryP, fields);
    return block;
  }

  /** A carried gap's plan fields, made the first time they show (most answers never carry). */
  function showAction(fields, answer) {
    fields.hidden = !(answer.carry && answer.noted === "gap");
    if (fields.hidden || fields.firstChild) return;
    const key = fields.getAttribute("data-key");
    ACTION_FIELDS.forEach((name) => {
      const heading = DATA.plan_columns[name] || name;
      const tag = name === "priority" ? "select" : name === "timeline" ? "input" : "textarea";
      const [p, field] = labelled(tag, key + "-action-" + name, heading + " (this gap)",
        { "data-q-action-field": name });
      if (name === "priority") {
        field.appendChild(new Option("Not decided", ""));
        Object.keys(DATA.priorities).forEach((id2) => {
          field.appendChild(new Option(DATA.priorities[id2], id2));
        });
      } else if (name === "timeline") field.type = "date";
      else { field.rows = 1; field.maxLength = Core.TEXT_LIMIT; }
      field.value = (answer.action || {})[name] || "";
      fields.appendChild(p);
    });
  }

  let shape = null; // the mode and respondents the answer fields were last drawn for

  /** Draw the answer fields again only when who answers changed; the focus stays put. */
  function render(force) {
    const interview = mode() === "interview";
    const now = JSON.stringify([mode(), respondents()]);
    if (!force && now === shape) return;
    shape = now;
    const focused = document.activeElement && document.activeElement.id;
    $(".tk-qual-respondents", root).hidden = !interview;
    const names = respondents();
    $$(".tk-qual-question", root).forEach((section) => {
      const id = section.getAttribute("data-question");
      const box = $(".tk-qual-answers", section);
      const number = box.getAttribute("data-number");
      const blocks = [];
      if (!interview || hasContent(slot(id, "team"))) {
        blocks.push(answerBlock(id, "team", interview ? "Without a respondent" : "The team",
          number));
      }
      if (interview) names.forEach((name, index) => blocks.push(answerBlock(id, index, name, number)));
      box.replaceChildren(...blocks);
    });
    const again = focused && document.getElementById(focused);
    if (again && again !== document.activeElement) again.focus();
    const note = $("#tk-qual-kept");
    note.hidden = !kept.size;
    note.textContent = kept.size ? "Kept in the file, not shown (questions this version does " +
      "not have): " + Array.from(kept.keys()).join(", ") + "." : "";
    renderComposition();
  }

  function cellField(row, list, index, name, label, type) {
    const td = document.createElement("td");
    const field = document.createElement("input");
    field.type = type || "text";
    field.id = list + "-" + index + "-" + name;
    field.setAttribute("aria-label", label + " (" + (list === "member" ? "member" : "group") +
      " " + (index + 1) + ")");
    field.setAttribute("data-c-list", list);
    field.setAttribute("data-c-index", String(index));
    field.setAttribute("data-c-field", name);
    if (type === "number") { field.min = String(Core.SMALLEST_GROUP); field.step = "1"; }
    else field.maxLength = Core.LINE_LIMIT;
    if (name === "characteristic") field.setAttribute("list", "tk-characteristics");
    field.value = row[name] === undefined ? "" : String(row[name]);
    td.appendChild(field);
    return td;
  }

  function removeCell(list, index) {
    const td = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button tk-small";
    button.textContent = "Remove";
    button.setAttribute("aria-label", "Remove " + list + " " + (index + 1));
    button.setAttribute("data-q-action", "remove-" + list);
    button.setAttribute("data-c-index", String(index));
    td.appendChild(button);
    return td;
  }

  function renderComposition() {
    const heads = $$(".tk-composition-members thead th", team).map((th) => th.textContent);
    $(".tk-composition-members tbody", team).replaceChildren(...members.map((member, index) => {
      const tr = document.createElement("tr");
      Core.MEMBER_FIELDS.forEach((name, column) => {
        tr.appendChild(cellField(member, "member", index, name, heads[column]));
      });
      tr.appendChild(removeCell("member", index));
      return tr;
    }));
    const groupHeads = $$(".tk-composition-groups thead th", team).map((th) => th.textContent);
    $(".tk-composition-groups tbody", team).replaceChildren(...groups.map((group, index) => {
      const tr = document.createElement("tr");
      Core.GROUP_FIELDS.forEach((name, column) => {
        tr.appendChild(cellField(group, "group", index, name, groupHeads[column],
          name === "count" ? "number" : "text"));
      });
      tr.appendChild(removeCell("group", index));
      return tr;
    }));
    showPrivacy();
  }

  /** The composition's problems, as --assessment would word them; the summary on the results. */
  function showPrivacy() {
    const c = composition();
    const box = $("#tk-composition-problems");
    let problems = [];
    if (c) {
      const text = JSON.stringify({ format: Core.FORMAT, format_version: Core.FORMAT_VERSION,
        toolkit: DATA.toolkit, practices: {}, composition: c });
      const read = Core.readText(text, DATA, "");
      problems = (read.problems || []).map((line) => line.replace(/^:\d+:\d+: /, ""));
    }
    $("ul", box).replaceChildren(...problems.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }));
    box.hidden = !problems.length;
    const summary = $("#tk-composition-summary");
    summary.hidden = !c || !c.members.length;
    summary.textContent = c && c.members.length ? "The team: " + Core.compositionSummary(c) + "." : "";
  }

  // --- typing ----------------------------------------------------------------------------------

  function typed(event) {
    const target = event.target;
    if (target.type === "text" || target.type === "textarea") {
      const clean = Core.normaliseText(target.value, target.type === "text");
      if (clean !== target.value) target.value = clean;
    }
    if (target.name === "qual-mode" || target.id === "qual-respondents") {
      if (event.type === "change" || target.id === "qual-respondents") render();
      return;
    }
    const block = target.closest(".tk-qual-answer");
    if (block) {
      const raw = block.getAttribute("data-slot");
      const answer = slot(block.getAttribute("data-question"), raw === "team" ? "team" : Number(raw));
      const field = target.getAttribute("data-q-field");
      const actionField = target.getAttribute("data-q-action-field");
      if (field === "carry") answer.carry = target.checked;
      else if (field) answer[field] = target.value;
      if (actionField) {
        if (!answer.action) answer.action = {};
        answer.action[actionField] = target.value;
      }
      $(".tk-qual-carry", block).hidden = answer.noted !== "gap";
      showAction($(".tk-qual-action", block), answer);
      return;
    }
    const list = target.getAttribute("data-c-list");
    if (list) {
      const rows = list === "member" ? members : groups;
      const row = rows[Number(target.getAttribute("data-c-index"))];
      const name = target.getAttribute("data-c-field");
      if (name === "count") {
        const number = Number(target.value);
        row.count = target.value !== "" && Number.isInteger(number) ? number : 0;
      } else row[name] = target.value;
      showPrivacy();
    }
  }

  function changedStructure() {
    renderComposition();
    team.dispatchEvent(new Event("change", { bubbles: true })); // assess.js saves the copy
  }

  function clicked(event) {
    const button = event.target.closest && event.target.closest("button[data-q-action]");
    if (!button) return;
    const action = button.getAttribute("data-q-action");
    const index = Number(button.getAttribute("data-c-index"));
    if (action === "add-member") {
      members.push({ name: "", role: "", authority: "", experience: "", knowledge: "" });
    } else if (action === "add-group") {
      groups.push({ characteristic: "", group: "", count: Core.SMALLEST_GROUP });
    } else if (action === "remove-member") members.splice(index, 1);
    else if (action === "remove-group") groups.splice(index, 1);
    changedStructure();
    const focus = action.indexOf("add-") === 0
      ? $$("tbody tr:last-child input", team).filter((field) =>
        field.getAttribute("data-c-list") === action.slice(4))[0]
      : $("[data-q-action=add-" + action.slice(7) + "]", team);
    if (focus) focus.focus();
  }

  [root, team].forEach((node) => {
    node.addEventListener("input", typed);
    node.addEventListener("change", typed);
  });
  team.addEventListener("click", clicked);
  $$("[data-q-action]", team).forEach((button) => { button.hidden = false; });
  render(true);

  window.TkQualitative = {
    qualitative: qualitative, composition: composition, apply: apply, planRows: planRows,
  };
})();
