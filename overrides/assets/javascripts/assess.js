/* The Assess page: live totals, the automatic copy and its recent versions, Save and Open,
   CSV exports, the results chart with comparisons, and the action plan. Plain script: no
   framework, no build step, no network. Text typed by the team is only ever set as a form value
   or as textContent, never as HTML. Everything about the record that needs no page (reading and
   checking a file, totals, the canonical file, CSV cells) is toolkit-core.js, the contract it
   shares with macros/assessment/ (tests/cases/ runs through both). */
(function () {
  "use strict";

  const dataNode = document.getElementById("tk-assess-data");
  const Core = window.ToolkitCore;
  if (!dataNode || !Core) return;
  // qualitative.js: the qualitative assessment and the composition, saved in the same record
  const Qual = window.TkQualitative || null;
  const DATA = JSON.parse(dataNode.textContent);
  const STORAGE_KEY = "implementation-toolkit-assessment:" + DATA.toolkit.title;
  const VERSIONS_KEY = STORAGE_KEY + ":versions"; // recent versions, newest first
  const UNREADABLE_KEY = STORAGE_KEY + ":unreadable"; // stored copies this page cannot read
  const MAX_VERSIONS = 10;
  const VERSION_EVERY = 5 * 60 * 1000; // while typing, a version at most every five minutes
  const MAX_COMPARED = 3; // besides this assessment
  const HEADER_FIELDS = Core.HEADER_FIELDS;
  const ACTION_FIELDS = Core.ACTION_FIELDS;
  const TAB = Math.random().toString(36).slice(2); // this tab, in what it stores
  const SCORES = new Map(DATA.scale.map((rating) => [rating.id, rating.score]));
  const LABELS = new Map(DATA.scale.map((rating) => [rating.id, rating.label]));
  const TOP = Math.max(...DATA.scale.map((rating) => rating.score));
  const DRIVERS = [];
  const PRACTICES = new Map(); // Maps throughout: no id is ever a name on Object.prototype
  DATA.categories.forEach((category) => category.drivers.forEach((driver) => {
    DRIVERS.push(driver);
    driver.practices.forEach((practice) => {
      PRACTICES.set(practice.id, Object.assign({ driver: driver, category: category.id }, practice));
    });
  }));
  const IDS = Array.from(PRACTICES.keys());

  const $ = (selector, within) => (within || document).querySelector(selector);
  const $$ = (selector, within) => Array.from((within || document).querySelectorAll(selector));

  // The page's own elements, found once (by data- attributes, which content cannot write, and
  // before the plan adds ids of its own) and kept: no later element can stand in for them.
  const HEADER_INPUTS = {};
  HEADER_FIELDS.slice(1).forEach((name) => { HEADER_INPUTS[name] = $("[data-header=" + name + "]"); });
  const NEXT_ASSESSMENT = $("[data-plan-next]");
  const PROGRESS = document.getElementById("tk-progress");
  const SUMMARY = document.getElementById("tk-assess-summary"); // what a screen reader hears
  const planItems = new Map(); // practice id -> its plan item
  const planHeadings = new Map(); // driver id -> its heading in the plan

  // What the page holds besides its form fields: plan rows (kept while unticked, so an
  // accidental untick loses nothing), entries and ticks this toolkit version lacks (carried
  // and saved again), values a field cannot show, compared files.
  let actions = new Map();
  let chosen = new Set();
  let carried = new Map();
  let carriedTicks = new Map();
  let records = new Map(); // consensus records by best practice id (merge.js shows them)
  let compared = [];
  let savedText = null; // the file last known to be saved (or opened): unsaved work differs
  let copyOff = false; // the team turned the automatic copy off for this session
  let otherTab = null; // set when another tab changed the stored copy: neither overwrites
  let lastVersion = 0;

  // --- the record: read from the form, write into it ------------------------------------------

  function section(id) { return document.getElementById("assess-" + id); }

  function fieldValue(field) {
    // A value from a file the field cannot show (a date input and an impossible date) is kept
    // until the team changes the field.
    return field.hasAttribute("data-kept") ? field.getAttribute("data-kept") : field.value;
  }

  function setField(field, value) {
    field.removeAttribute("data-kept");
    field.value = value || "";
    if (field.value !== (value || "")) field.setAttribute("data-kept", value);
    showCount(field);
  }

  function entryOf(id) {
    const node = section(id);
    const checked = $("input[type=radio]:checked", node);
    const entry = Core.emptyEntry();
    entry.rating = checked && checked.value ? checked.value : null;
    entry.not_rated = Boolean(checked) && !checked.value; // chosen on purpose, not undiscussed
    entry.criteria = $$("input[type=checkbox]:checked", node).map((box) => box.value);
    entry.notes = $("textarea", node).value;
    entry.carried_criteria = (carriedTicks.get(id) || []).slice();
    if (chosen.has(id)) entry.action = actionOf(id);
    entry.consensus = records.get(id) || null;
    return entry;
  }

  function actionOf(id) {
    const source = actions.get(id) || {};
    const action = Object.create(null);
    ACTION_FIELDS.forEach((name) => { action[name] = source[name] || ""; });
    return action;
  }

  function collect() {
    const header = Object.create(null);
    HEADER_FIELDS.forEach((name) => {
      if (name === "kind") {
        const kind = $("input[name=header-kind]:checked");
        header.kind = kind ? kind.value : "";
      } else {
        header[name] = fieldValue(HEADER_INPUTS[name]);
      }
    });
    const practices = new Map();
    IDS.forEach((id) => practices.set(id, entryOf(id)));
    return {
      toolkit_title: DATA.toolkit.title,
      content_version: DATA.toolkit.content_version,
      format_version: Core.FORMAT_VERSION,
      header: header,
      practices: practices,
      carried: new Map(carried),
      next_assessment: fieldValue(NEXT_ASSESSMENT),
      qualitative: Qual ? Qual.qualitative() : null,
      composition: Qual ? Qual.composition() : null,
    };
  }

  function currentText() { return Core.toJson(collect(), DATA); }

  function isEmpty(assessment) {
    const blank = Core.toJson({
      header: Object.fromEntries(HEADER_FIELDS.map((name) => [name, ""])),
      practices: new Map(), carried: new Map(), next_assessment: "",
    }, DATA);
    return Core.toJson(assessment, DATA) === blank;
  }

  function blankAssessment() {
    const header = Object.create(null);
    HEADER_FIELDS.forEach((name) => { header[name] = ""; });
    return { header: header, practices: new Map(), carried: new Map(), next_assessment: "" };
  }

  /** Put a read assessment (ToolkitCore's shape) into the form. */
  function apply(assessment) {
    const header = assessment.header;
    $$("input[name=header-kind]").forEach((radio) => { radio.checked = radio.value === header.kind; });
    HEADER_FIELDS.slice(1).forEach((name) => {
      setField(HEADER_INPUTS[name], header[name]);
    });
    actions = new Map();
    chosen = new Set();
    carried = new Map();
    carriedTicks = new Map();
    records = new Map();
    assessment.practices.forEach((entry, id) => { if (!PRACTICES.has(id)) carried.set(id, entry); });
    assessment.carried.forEach((entry, id) => { if (!PRACTICES.has(id)) carried.set(id, entry); });
    IDS.forEach((id) => {
      const entry = assessment.practices.get(id) || Core.emptyEntry();
      const node = section(id);
      $$("input[type=radio]", node).forEach((radio) => {
        radio.checked = entry.rating ? radio.value === entry.rating : entry.not_rated && !radio.value;
      });
      $$("input[type=checkbox]", node).forEach((box) => {
        box.checked = entry.criteria.indexOf(box.value) >= 0;
      });
      setField($("textarea", node), entry.notes);
      if (entry.carried_criteria.length) carriedTicks.set(id, entry.carried_criteria.slice());
      if (entry.consensus) records.set(id, entry.consensus);
      if (entry.action) {
        actions.set(id, Object.assign({}, entry.action));
        chosen.add(id);
      }
    });
    setField(NEXT_ASSESSMENT, assessment.next_assessment);
    if (Qual) Qual.apply(assessment);
    refresh();
    document.dispatchEvent(new CustomEvent("tk-records", { detail: new Map(records) }));
  }

  /** merge.js records an item (consensus-scoring): its record, and the agreed rating as the
   entry's rating. The rest of the page follows, as after a click on that rating. */
  function recordConsensus(event) {
    const id = event.detail.id;
    if (!PRACTICES.has(id)) return;
    if (event.detail.record) records.set(id, event.detail.record);
    else records.delete(id);
    if ("rating" in event.detail) {
      $$("input[type=radio]", section(id)).forEach((radio) => {
        radio.checked = radio.value === (event.detail.rating || "");
      });
      showRule(id);
      const file = collect();
      showTotals(file);
      showResults(file);
      showPlan(file, id);
    }
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, 300);
  }

  // --- totals ----------------------------------------------------------------------------------

  function tally(assessment) { return Core.totals(DATA, assessment); }
  function percent(t) { return Core.percent(t); }

  function tallyWords(t) {
    const p = percent(t);
    const share = p === null ? "no best practice rated"
      : p + "% (" + t.points + " of " + t.possible + " points; " + ratedOf(t) + ")";
    return t.not_rated ? share + "; " + t.not_rated + " " + DATA.not_rated.toLowerCase() : share;
  }

  /** How many best practices a percent rests on, as the PDFs say it: "27 of 33 rated". */
  function ratedOf(t) {
    return t.rated + " of " + (t.rated + t.not_rated) + " rated";
  }

  /** "12 of 33 discussed": rated, or Not rated chosen on purpose. */
  function progressWords(file) {
    const done = IDS.filter((id) => {
      const entry = file.practices.get(id);
      return entry.rating !== null || entry.not_rated;
    }).length;
    return done + " of " + IDS.length + " discussed";
  }

  // --- showing the state -----------------------------------------------------------------------

  function refresh() {
    const file = collect();
    IDS.forEach((id) => showRule(id));
    showTotals(file);
    showResults(file);
    IDS.forEach(fillPlanFields);
    showPlan(file);
    showKept();
    $$("[data-limit]").forEach(showCount);
  }

  function showRule(id) {
    const practice = PRACTICES.get(id);
    if (!practice.criteria) return;
    const node = section(id);
    const ticked = $$("input[type=checkbox]:checked", node).map((box) => box.value);
    const suggested = Core.suggestion(DATA, practice, ticked);
    const status = $("[data-rule-status]", node);
    status.textContent = suggested.text;
    status.classList.toggle("tk-met", suggested.met && !suggested.confirm.length);
  }

  function showTotals(file) {
    PROGRESS.textContent = progressWords(file);
    const result = tally(file);
    DRIVERS.forEach((driver) => {
      const output = $("output[data-total='driver:" + driver.id + "']");
      output.textContent = tallyWords(result.drivers[driver.id]);
    });
    const rows = [["overall", result.overall]];
    DRIVERS.forEach((driver) => rows.push(["driver:" + driver.id, result.drivers[driver.id]]));
    DATA.categories.forEach((category) => {
      rows.push(["category:" + category.id, result.categories[category.id]]);
    });
    rows.forEach(([key, t]) => {
      const row = $("tr[data-row='" + key + "']");
      const p = percent(t);
      $("[data-cell=points]", row).textContent = t.points;
      $("[data-cell=possible]", row).textContent = t.possible;
      $("[data-cell=percent]", row).textContent = p === null ? "none rated" : p + "%";
      $("[data-cell=rated]", row).textContent = t.rated;
      $("[data-cell=not_rated]", row).textContent = t.not_rated;
    });
  }

  function showKept() {
    const box = document.getElementById("tk-assess-kept");
    const items = Array.from(carried.keys()).map((id) => id + describe(carried.get(id)));
    carriedTicks.forEach((ticks, id) => {
      items.push(id + ": ticks not placed (" + ticks.join(", ") + ")");
    });
    box.hidden = !items.length;
    fillList($("ul", box), items);
  }

  function describe(entry) {
    const parts = [];
    if (entry && entry.rating) parts.push("rated " + entry.rating);
    if (entry && entry.notes) parts.push("notes: " + entry.notes);
    return parts.length ? " (" + parts.join("; ") + ")" : "";
  }

  function fillList(list, items) {
    list.replaceChildren(...items.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
  }

  /** "N of LIMIT characters" under a field that can grow, updated as the team types. */
  function showCount(field) {
    const limit = Number(field.getAttribute("data-limit"));
    if (!limit) return;
    let counter = field.nextElementSibling;
    if (!counter || !counter.classList.contains("tk-count")) {
      counter = document.createElement("span");
      counter.className = "tk-count";
      counter.id = (field.id || "field-" + Math.random().toString(36).slice(2)) + "-count";
      field.insertAdjacentElement("afterend", counter);
      field.setAttribute("aria-describedby", counter.id);
    }
    const used = Array.from(field.value).length;
    counter.textContent = used + " of " + limit + " characters";
    counter.classList.toggle("tk-problem", used > limit);
  }

  // --- results: chart and table, this assessment and up to three others -----------------------

  /** This assessment and the compared ones, oldest first as in the results report (an
   * undated one last, this assessment after the others of its date). */
  function series(file) {
    const current = { name: "This assessment", date: file.header.date, totals: tally(file) };
    const all = compared.map((item) => ({
      name: item.name, date: (item.file.header || {}).date || "", totals: tally(item.file),
    })).concat([current]);
    return all.map((item, index) => [item.date || "~", index, item])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
      .map((entry) => entry[2]);
  }

  function seriesLabel(item) { return item.date ? item.name + ", " + item.date : item.name; }

  function showResults(file) {
    const all = series(file);
    drawChart(all);
    const table = $(".tk-results-table");
    const head = document.createElement("tr");
    head.appendChild(cell("th", "Driver or category", "col"));
    all.forEach((item) => head.appendChild(cell("th", seriesLabel(item), "col")));
    $("thead", table).replaceChildren(head);
    const rows = [];
    const row = (label, pick, cls) => {
      const tr = document.createElement("tr");
      if (cls) tr.className = cls;
      tr.appendChild(cell("th", label, "row"));
      all.forEach((item) => tr.appendChild(cell("td", tallyWords(pick(item.totals)))));
      rows.push(tr);
    };
    DATA.categories.forEach((category) => {
      category.drivers.forEach((driver) => row(driver.name, (t) => t.drivers[driver.id]));
      row(category.name, (t) => t.categories[category.id], "tk-total-category");
    });
    row("Overall", (t) => t.overall, "tk-total-overall");
    $("tbody", table).replaceChildren(...rows);
    const list = $(".tk-compared");
    list.replaceChildren(...compared.map((item, index) => {
      const li = document.createElement("li");
      li.appendChild(document.createTextNode(seriesLabel(item) + " "));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "md-button tk-small";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + seriesLabel(item) + " from the comparison");
      remove.addEventListener("click", () => {
        compared.splice(index, 1);
        showResults(collect());
        status("Removed " + item.name + " from the comparison.");
        $("[data-action=compare]").focus();
      });
      li.appendChild(remove);
      return li;
    }));
    const missing = compared.filter((item) => item.unknown.length)
      .map((item) => item.name + ": " + item.unknown.join(", "));
    const box = $(".tk-not-compared");
    box.hidden = !missing.length;
    fillList($("ul", box), missing);
  }

  function cell(tag, text, scope) {
    const node = document.createElement(tag);
    if (scope) node.scope = scope;
    node.textContent = text;
    return node;
  }

  const SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach((name) => node.setAttribute(name, attributes[name]));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Drawn at the width it is shown (one unit, one CSS pixel), so that its text keeps its size on
  // a phone: each driver's name on a line of its own, then one bar per assessment, oldest
  // first, in a shade or pattern that stays apart in greyscale, labelled with its percent and
  // how many best practices it rests on.
  function drawChart(all) {
    const box = $(".tk-chart-svg");
    const width = Math.max(300, Math.min(box.clientWidth || 700, 900));
    const bar = 20, name = 20, gap = 10, top = 22, room = 140;
    const plot = width - room - 4;
    const group = name + all.length * bar + gap;
    const height = top + DRIVERS.length * group;
    const chart = svg("svg", {
      viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img",
      "aria-labelledby": "tk-chart-title tk-chart-caption", class: "tk-chart-image",
    });
    chart.appendChild(svg("title", { id: "tk-chart-title" },
      "Bar chart: percent of possible points by driver for " + all.map(seriesLabel).join("; ")));
    const defs = svg("defs", {});
    const hatch = svg("pattern", { id: "tk-hatch", width: 6, height: 6, patternUnits: "userSpaceOnUse" });
    hatch.appendChild(svg("rect", { width: 6, height: 6, fill: "#ffffff" }));
    hatch.appendChild(svg("path", { d: "M0 6 L6 0", stroke: "#000000", "stroke-width": 1.2 }));
    const dots = svg("pattern", { id: "tk-dots", width: 5, height: 5, patternUnits: "userSpaceOnUse" });
    dots.appendChild(svg("rect", { width: 5, height: 5, fill: "#ffffff" }));
    dots.appendChild(svg("circle", { cx: 2.5, cy: 2.5, r: 1.1, fill: "#000000" }));
    defs.append(hatch, dots);
    chart.appendChild(defs);
    [0, 50, 100].forEach((tick) => {
      const x = 2 + plot * tick / 100;
      chart.appendChild(svg("line", { x1: x, x2: x, y1: top - 4, y2: height, class: "tk-chart-grid" }));
      chart.appendChild(svg("text", {
        x: x, y: top - 8, "text-anchor": tick ? (tick === 100 ? "end" : "middle") : "start",
        class: "tk-chart-tick",
      }, tick + "%"));
    });
    DRIVERS.forEach((driver, row) => {
      const y0 = top + row * group;
      chart.appendChild(svg("text", { x: 2, y: y0 + name - 5, class: "tk-chart-label" }, driver.name));
      all.forEach((item, index) => {
        const t = item.totals.drivers[driver.id];
        const p = percent(t);
        const y = y0 + name + index * bar;
        const length = p === null ? 0 : Math.max(plot * p / 100, 1);
        if (p !== null) {
          chart.appendChild(svg("rect", {
            x: 2, y: y + 2, width: length, height: bar - 5, class: "tk-chart-bar tk-series-" + (index % 4),
          }));
        }
        chart.appendChild(svg("text", { x: 2 + length + 4, y: y + bar - 6, class: "tk-chart-value" },
          p === null ? "not rated" : p + "% (" + ratedOf(t) + ")"));
      });
    });
    const legend = document.createElement("ul");
    legend.className = "tk-chart-legend";
    legend.setAttribute("aria-hidden", "true"); // the table says the same
    all.forEach((item, index) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "tk-swatch tk-series-" + (index % 4);
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(seriesLabel(item)));
      legend.appendChild(li);
    });
    box.replaceChildren(chart, legend);
  }

  // --- the action plan -------------------------------------------------------------------------

  function candidates(file) {
    return IDS.filter((id) => {
      const rating = file.practices.get(id).rating;
      return (rating !== null && SCORES.get(rating) < TOP) || chosen.has(id);
    });
  }

  function unmet(id) {
    const practice = PRACTICES.get(id);
    if (!practice.criteria) return [];
    const ticked = $$("input[type=checkbox]:checked", section(id)).map((box) => box.value);
    return practice.criteria.items.filter((item) => ticked.indexOf(item.id) < 0)
      .map((item) => item.text);
  }

  // A best practice gets its plan item the first time it is a candidate, in the rubric's order
  // (a page that loads empty builds none); a rating change then shows, hides or updates one
  // item, never rebuilds the list.
  function buildPlan() {
    $(".tk-plan-list").replaceChildren(...DRIVERS.map((driver) => {
      const heading = document.createElement("h3");
      heading.textContent = driver.name;
      heading.id = "plan-driver-" + driver.id;
      planHeadings.set(driver.id, heading);
      return heading;
    }));
  }

  /** The plan item of `id`, made and put in its place the first time it is asked for. */
  function planItem(id) {
    if (planItems.has(id)) return planItems.get(id);
    const practice = PRACTICES.get(id);
    const node = document.getElementById("tk-plan-item").content.firstElementChild.cloneNode(true);
    node.id = "plan-" + id;
    planItems.set(id, node);
    node.hidden = true;
    const next = IDS.slice(IDS.indexOf(id) + 1).map((other) => {
      const driver = PRACTICES.get(other).driver;
      return driver === practice.driver ? planItems.get(other) : planHeadings.get(driver.id);
    }).find(Boolean);
    $(".tk-plan-list").insertBefore(node, next || null);
    // The heading is made here: in the template, an h4 would follow the page's h2 (invalid HTML).
    node.prepend(cell("h4", practice.driver.name + " " + practice.number + ". " + practice.statement));
    node.firstElementChild.className = "tk-plan-statement";
    const box = $("[data-plan=choose]", node);
    box.id = "plan-" + id + "-choose";
    box.setAttribute("data-practice", id);
    const chooseLabel = $(".tk-plan-choose label", node);
    chooseLabel.htmlFor = box.id;
    const which = cell("span", ": " + practice.driver.name + " best practice " + practice.number);
    which.className = "tk-sr";
    chooseLabel.appendChild(which);
    $$("[data-field]", node).forEach((field) => {
      const name = field.getAttribute("data-field");
      field.id = "plan-" + id + "-" + name;
      field.setAttribute("data-practice", id);
      $("label[data-for=" + name + "]", node).htmlFor = field.id;
    });
    fillPlanFields(id);
    return node;
  }

  function showPlanItem(id, entry) {
    const node = planItem(id);
    $(".tk-plan-rating", node).textContent = "Rating: " +
      (entry.rating ? LABELS.get(entry.rating) + " (" + SCORES.get(entry.rating) + ")" : DATA.not_rated);
    const missing = unmet(id);
    $(".tk-plan-unmet", node).hidden = !missing.length;
    fillList($(".tk-plan-unmet ul", node), missing);
  }

  function fillPlanFields(id) {
    const node = planItems.get(id);
    if (!node) return; // made when first listed, with its fields filled then
    $("[data-plan=choose]", node).checked = chosen.has(id);
    $(".tk-plan-fields", node).hidden = !chosen.has(id);
    $$("[data-field]", node).forEach((field) => {
      const value = (actions.get(id) || {})[field.getAttribute("data-field")] || "";
      keepChoice(field, value);
      field.value = value;
    });
  }

  /** A status id's label; a team's own words as they are. */
  function statusLabel(status) {
    return Object.prototype.hasOwnProperty.call(DATA.statuses, status) ? DATA.statuses[status] : status;
  }

  /** A status an older file wrote in its own words stays a choice of its row (never lost). */
  function keepChoice(field, value) {
    if (field.tagName !== "SELECT" || !value) return;
    if (Array.from(field.options).some((option) => option.value === value)) return;
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value;
    field.appendChild(option);
  }

  function showPlan(file, changedId) {
    const ids = candidates(file);
    const listed = new Set(ids);
    (changedId ? [changedId] : IDS).forEach((id) => {
      if (!listed.has(id) && !planItems.has(id)) return;
      showPlanItem(id, file.practices.get(id));
      planItems.get(id).hidden = !listed.has(id);
    });
    DRIVERS.forEach((driver) => {
      planHeadings.get(driver.id).hidden =
        !driver.practices.some((practice) => listed.has(practice.id));
    });
    $(".tk-plan-empty").hidden = ids.length > 0;
    showPlanTable(file, ids);
  }

  function planRows(file, ids) {
    return practiceRows(ids).concat(Qual ? Qual.planRows() : []); // carried gaps after them
  }

  function practiceRows(ids) {
    return ids.filter((id) => chosen.has(id)).map((id) => {
      const practice = PRACTICES.get(id);
      const action = actionOf(id);
      const gap = practice.number + ". " + practice.statement +
        (unmet(id).length ? " Criteria not ticked: " + unmet(id).join(" ") : "");
      const values = { driver: practice.driver.name, "best-practice-or-gap": gap };
      ACTION_FIELDS.forEach((name) => {
        values[name] = name === "priority" ? (DATA.priorities[action.priority] || "")
          : name === "status" ? statusLabel(action.status) : action[name];
      });
      return { id: id, values: values };
    });
  }

  function showPlanTable(file, ids) {
    const columns = Object.keys(DATA.plan_columns);
    const rows = planRows(file, ids).map((row) => {
      const tr = document.createElement("tr");
      columns.forEach((name) => {
        tr.appendChild(cell("td", row.values[name] || "")).className = "tk-col-" + name;
      });
      return tr;
    });
    $(".tk-plan-table tbody").replaceChildren(...rows);
    const header = file.header;
    $(".tk-plan-print-header").textContent = [header.program, header.organization, header.date]
      .filter(Boolean).join(" \u00b7 ");
    $(".tk-plan-print-next").textContent = file.next_assessment
      ? "Next assessment: " + file.next_assessment : "";
  }

  // --- files: save, open, compare, CSV ---------------------------------------------------------

  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type: type }));
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function baseName(file) {
    const words = [file.header.program, file.header.date].filter(Boolean).join(" ");
    const slug = words.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return "assessment" + (slug ? "-" + slug.slice(0, 60) : "");
  }

  /** The text Save writes, or the reasons it would be refused by the toolkit. */
  function fileToSave() {
    const text = currentText();
    const size = new TextEncoder().encode(text).length;
    if (size > Core.MAX_BYTES) {
      return { problems: ["This assessment would be a file of " + size + " bytes; a file may " +
        "be at most " + Core.MAX_BYTES + " bytes. Shorten the longest notes."] };
    }
    const read = Core.readText(text, DATA, "this assessment");
    return read.problems ? { problems: read.problems } : { text: text };
  }

  /** Save with the browser's save dialog where it has one (then the page knows the file was
   written), else as a download the page cannot confirm. */
  function save() {
    const result = fileToSave();
    if (result.problems) {
      status("Not saved: " + result.problems.slice(0, 3).join(" ") + " (the file would be refused).",
        true);
      return;
    }
    const name = baseName(collect()) + ".json";
    const text = result.text;
    pushVersion("saved as " + name, text);
    if (typeof window.showSaveFilePicker === "function") {
      window.showSaveFilePicker({
        suggestedName: name,
        types: [{ description: "Assessment file", accept: { "application/json": [".json"] } }],
      }).then((handle) => handle.createWritable().then((writable) =>
        writable.write(text).then(() => writable.close()).then(() => {
          savedText = text;
          status("Saved " + (handle.name || name) + ". Keep it: it is the record of this assessment.");
        }))).catch((error) => {
        status(error && error.name === "AbortError"
          ? "Not saved: the save dialog was closed. Your work is still on this page."
          : "Not saved: the browser could not write the file (" + (error && error.message) +
            "). Your work is still on this page.", true);
      });
      return;
    }
    download(name, text, "application/json");
    status("The browser was asked to download " + name + ". Check that it is in your downloads " +
      "before you close this page: it is the record of this assessment.");
  }

  function readUpload(file) {
    if (file.size > Core.MAX_BYTES) {
      return Promise.resolve(Core.readBytes(new Uint8Array(file.size), DATA, file.name));
    }
    return file.arrayBuffer().then((buffer) =>
      Core.readBytes(new Uint8Array(buffer), DATA, file.name));
  }

  function unsaved() {
    const text = currentText();
    return text !== savedText && !isEmpty(collect());
  }

  function open(file) {
    readUpload(file).then((read) => {
      if (read.problems) {
        status("Could not open " + file.name + ": " + read.problems.slice(0, 5).join(" ") +
          (read.problems.length > 5 ? " (and " + (read.problems.length - 5) + " more)" : "") +
          " The assessment on this page is unchanged.", true);
        return;
      }
      const question = "Replace the assessment on this page with " + file.name +
        "? It is not saved to a file; it stays in Recent versions on this device.";
      if (unsaved() && !window.confirm(question)) {
        status("Nothing opened: the assessment on this page is unchanged.");
        return;
      }
      replaceWith(read.assessment, "before opening " + file.name);
      savedText = currentText();
      const notes = Core.notices(read.assessment, DATA);
      status("Opened " + file.name + "." + (notes.length ? " " + brief(notes) : ""));
    });
  }

  /** The next round from this one: the plan goes on (ToolkitCore.nextRound). */
  function startNextRound() {
    const question = "Start the next round? The ratings, ticks, notes and date are emptied; the " +
      "plan's actions stay. This work is not saved to a file; it stays in Recent versions.";
    if (unsaved() && !window.confirm(question)) {
      status("Nothing changed: the assessment on this page is as it was.");
      return;
    }
    replaceWith(Core.nextRound(collect(), DATA), "before starting the next round");
    status("Started the next round: every chosen action is kept with its status and due date. " +
      "Fill in the date, rate again, and Save under a new name.");
  }

  /** Replace the form's content, keeping what it held in Recent versions first. */
  function replaceWith(assessment, reason) {
    if (!isEmpty(collect())) pushVersion(reason, currentText());
    apply(assessment);
    otherTab = null;
    autosave();
  }

  function compare(files) {
    const room = MAX_COMPARED - compared.length;
    const list = Array.from(files);
    const refused = list.slice(Math.max(room, 0)).map((file) => file.name);
    Promise.all(list.slice(0, Math.max(room, 0)).map((file) => readUpload(file).then((read) =>
      read.problems ? { name: file.name, error: read.problems.slice(0, 3).join(" ") } : {
        name: file.name, file: read.assessment, unknown: Core.unknown(read.assessment, DATA),
      }))).then((results) => {
      const messages = [];
      results.forEach((result) => {
        if (result.error) {
          messages.push("Could not compare " + result.name + ": " + result.error);
        } else {
          compared.push(result);
          messages.push("Comparing " + result.name + "." + (result.unknown.length
            ? " " + brief(["Not compared, not in this toolkit version: " +
              result.unknown.join(", ") + "."], "below the chart") : ""));
        }
      });
      if (refused.length) {
        messages.push("At most four assessments side by side: " + refused.join(", ") + " not added.");
      }
      showResults(collect());
      status(messages.join(" "), results.some((result) => result.error) || refused.length > 0);
    });
  }

  function exportRatings() {
    const file = collect();
    const rows = [["driver", "id", "statement", "criteria ticked", "rating", "points", "notes"]];
    IDS.forEach((id) => {
      const practice = PRACTICES.get(id);
      const entry = file.practices.get(id);
      const criteria = entry.criteria
        .map((tick) => (tick === Core.ANOTHER ? "another like these" : tick)).join(", ");
      rows.push([practice.driver.name, id, practice.statement, criteria,
        entry.rating ? LABELS.get(entry.rating) : DATA.not_rated,
        entry.rating ? SCORES.get(entry.rating) : "", entry.notes]);
    });
    download(baseName(file) + "-ratings.csv", Core.csv(rows), "text/csv");
    status("The browser was asked to download " + baseName(file) + "-ratings.csv.");
  }

  function exportPlan() {
    const file = collect();
    const columns = Object.keys(DATA.plan_columns);
    const headings = columns.map((name) => DATA.plan_columns[name]);
    const rows = [headings.concat(["best practice id", "next assessment"])];
    planRows(file, candidates(file)).forEach((row) => {
      rows.push(columns.map((name) => row.values[name]).concat([row.id, file.next_assessment]));
    });
    download(baseName(file) + "-action-plan.csv", Core.csv(rows), "text/csv");
    status("The browser was asked to download " + baseName(file) + "-action-plan.csv.");
  }

  // --- the automatic copy and recent versions ---------------------------------------------------

  function readStore(key, fallback) {
    try {
      const text = localStorage.getItem(key);
      return text === null ? fallback : JSON.parse(text);
    } catch (error) {
      return fallback;
    }
  }

  function writeStore(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      status("This browser does not keep an automatic copy here; use Save to keep your work.", true);
      return false;
    }
  }

  function versions() {
    const list = readStore(VERSIONS_KEY, []);
    return Array.isArray(list) ? list.filter((item) => item && typeof item.text === "string") : [];
  }

  /** Keep `text` among the recent versions on this device (newest first, at most ten). */
  function pushVersion(reason, text) {
    if (copyOff) return;
    const list = versions();
    if (list.length && list[0].text === text) list.shift(); // the same work: its newer reason
    list.unshift({ saved: new Date().toISOString(), reason: reason, text: text });
    writeStore(VERSIONS_KEY, list.slice(0, MAX_VERSIONS));
    lastVersion = Date.now();
    showVersions();
  }

  function autosave() {
    saveTimer = null;
    if (copyOff) return false;
    const text = currentText();
    if (otherTab) { // another tab changed the copy: keep this tab's work apart, tell the team
      pushVersion("this tab's work, kept apart from another tab's", text);
      return false;
    }
    if (Date.now() - lastVersion > VERSION_EVERY) pushVersion("while working", text);
    return writeStore(STORAGE_KEY, { saved: new Date().toISOString(), tab: TAB, text: text });
  }

  /** The stored copy as an assessment, or why it cannot be read (kept, offered as a file). */
  function readCopy(stored) {
    if (!stored || typeof stored !== "object") return { problems: ["it is not an assessment"] };
    let text = stored.text;
    if (typeof text !== "string" && stored.file) text = JSON.stringify(stored.file); // format 1 pages
    if (typeof text !== "string") return { problems: ["it is not an assessment"] };
    return Core.readText(text, DATA, "the automatic copy");
  }

  function restore() {
    let raw = null;
    try { raw = localStorage.getItem(STORAGE_KEY); } catch (error) { raw = null; }
    if (raw === null) return false;
    let stored = null;
    try { stored = JSON.parse(raw); } catch (error) { stored = null; }
    const read = readCopy(stored);
    if (read.problems) {
      keepUnreadable(raw, read.problems);
      return false;
    }
    apply(read.assessment);
    savedText = null; // restored work was never saved to a file by this page
    const when = stored.saved ? new Date(stored.saved).toLocaleString() : "unknown";
    const notes = Core.notices(read.assessment, DATA);
    status("Restored the automatic copy kept in this browser (last change " + when + "). " +
      "Save a file to keep it." + (notes.length ? " " + brief(notes) : ""));
    return true;
  }

  /** A stored copy this page cannot read (another build of the site saved it): moved aside,
   never overwritten, explained and offered as a file. */
  function keepUnreadable(raw, problems) {
    const list = readStore(UNREADABLE_KEY, []);
    const kept = Array.isArray(list) ? list : [];
    if (!kept.some((item) => item && item.raw === raw)) {
      kept.unshift({ found: new Date().toISOString(), problems: problems.slice(0, 5), raw: raw });
    }
    writeStore(UNREADABLE_KEY, kept);
    try { localStorage.removeItem(STORAGE_KEY); } catch (error) { /* kept aside already */ }
    showUnreadable();
    status("This browser holds an automatic copy this version of the page cannot read " +
      "(another version of the site saved it). It is kept: save it as a file under " +
      "\u201cStored copies this page cannot read\u201d, and open it with the site that made it.", true);
  }

  function showUnreadable() {
    const box = document.getElementById("tk-unreadable");
    const kept = readStore(UNREADABLE_KEY, []);
    const list = Array.isArray(kept) ? kept : [];
    box.hidden = !list.length;
    $("ul", box).replaceChildren(...list.map((item, index) => {
      const li = document.createElement("li");
      li.appendChild(document.createTextNode("Found " + new Date(item.found).toLocaleString() +
        ": " + (item.problems || []).join(" ") + " "));
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-button tk-small";
      button.textContent = "Save as a file";
      button.addEventListener("click", () => {
        download("assessment-stored-copy-" + (index + 1) + ".json", item.raw, "application/json");
        status("The browser was asked to download the stored copy as a file.");
      });
      li.appendChild(button);
      return li;
    }));
  }

  function showVersions() {
    const box = document.getElementById("tk-versions");
    const list = versions();
    box.hidden = !list.length;
    $("ul", box).replaceChildren(...list.map((item, index) => {
      const li = document.createElement("li");
      const read = Core.readText(item.text, DATA, "version");
      const label = new Date(item.saved).toLocaleString() + " \u2014 " + item.reason +
        (read.assessment ? " \u2014 " + tallyWords(tally(read.assessment).overall) : "");
      li.appendChild(document.createTextNode(label + " "));
      const back = document.createElement("button");
      back.type = "button";
      back.className = "md-button tk-small";
      back.textContent = "Bring back";
      back.setAttribute("data-version", index);
      back.setAttribute("aria-label", "Bring back the version of " + label);
      back.addEventListener("click", () => bringBack(item));
      li.appendChild(back);
      return li;
    }));
  }

  function bringBack(item) {
    const read = Core.readText(item.text, DATA, "version");
    if (read.problems) {
      download("assessment-version.json", item.text, "application/json");
      status("This version cannot be read here; the browser was asked to download it.", true);
      return;
    }
    replaceWith(read.assessment, "before bringing back a version");
    savedText = null;
    status("Brought back the version of " + new Date(item.saved).toLocaleString() + ". " +
      "What the page held before is in Recent versions.");
  }

  /** Another tab wrote the automatic copy: this tab stops writing it and says so. */
  function storageChanged(event) {
    if (event.key === VERSIONS_KEY) { showVersions(); return; }
    if (event.key === UNREADABLE_KEY) { showUnreadable(); return; }
    if (event.key !== STORAGE_KEY || copyOff) return;
    let stored = null;
    try { stored = JSON.parse(event.newValue || "null"); } catch (error) { stored = null; }
    if (!stored || stored.tab === TAB || stored.text === currentText()) return;
    otherTab = stored;
    pushVersion("this tab's work, kept apart from another tab's", currentText());
    document.getElementById("tk-other-tab").hidden = false;
    status("Another tab changed this assessment. This tab no longer writes the automatic copy, " +
      "so neither overwrites the other: use the other tab's work, or keep this tab's.", true);
  }

  function useOtherTab() {
    const read = readCopy(readStore(STORAGE_KEY, null));
    document.getElementById("tk-other-tab").hidden = true;
    if (read.problems) { otherTab = null; return; }
    replaceWith(read.assessment, "before using another tab's work");
    savedText = null;
    status("Now showing the other tab's work. This tab's is in Recent versions.");
  }

  function keepThisTab() {
    otherTab = null;
    document.getElementById("tk-other-tab").hidden = true;
    autosave();
    status("Kept this tab's work as the automatic copy. The other tab's is in Recent versions " +
      "there, and it will say so.");
  }

  function clearDevice() {
    const question = "Empty the form and remove the automatic copy from this browser? " +
      "The work stays in Recent versions until you remove them too.";
    if (!window.confirm(question)) return;
    if (!isEmpty(collect())) pushVersion("before Clear", currentText());
    try { localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing stored */ }
    compared = [];
    apply(blankAssessment());
    savedText = null;
    status("Cleared. The work is in Recent versions on this device; " +
      "\u201cRemove everything\u201d there leaves nothing of it in this browser.");
  }

  function forgetAll() {
    const question = "Remove the automatic copy and every recent version of this assessment " +
      "from this browser? Anything not saved to a file is lost.";
    if (!window.confirm(question)) return;
    [STORAGE_KEY, VERSIONS_KEY, UNREADABLE_KEY].forEach((key) => {
      try { localStorage.removeItem(key); } catch (error) { /* nothing stored */ }
    });
    showVersions();
    showUnreadable();
    status("Removed: nothing of this assessment is stored in this browser now.");
  }

  /** One polite message after a rating (or a tick) changes, once the keys have settled: the
   driver's subtotal, the overall total and the progress (a tick: the rule's status). */
  function announce(file, id, ticked) {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      const practice = PRACTICES.get(id);
      const result = tally(file);
      SUMMARY.textContent = ticked && practice.criteria
        ? $("[data-rule-status]", section(id)).textContent
        : practice.driver.name + " subtotal: " + tallyWords(result.drivers[practice.driver.id]) +
          ". Overall: " + tallyWords(result.overall) + ". " + progressWords(file) + ".";
    }, 500);
  }
  let announceTimer = null;

  /** The file's notices for the status line; a long list is summarised there (the page lists
   it in full under the toolbar). */
  function brief(notes, where) {
    return notes.map((note) => (note.length > 200 ? note.slice(0, note.indexOf(":") + 1) +
      " listed " + (where || "under the toolbar") + "." : note)).join(" ");
  }

  function status(message, problem) {
    const node = document.getElementById("tk-assess-status");
    node.textContent = message;
    node.classList.toggle("tk-problem", Boolean(problem));
  }

  function printPlan() {
    document.documentElement.classList.add("tk-printing-plan");
    window.print();
  }

  // --- wiring ----------------------------------------------------------------------------------

  function changed(event) {
    const target = event.target;
    if (target.id === "tk-copy-off") {
      copyOff = target.checked;
      try { sessionStorage.setItem(STORAGE_KEY + ":off", copyOff ? "1" : ""); } catch (e) { /* */ }
      status(copyOff ? "No automatic copy is kept for this session: Save before you close the page."
        : "The automatic copy is kept again.");
      if (!copyOff) autosave();
      return;
    }
    if (!target.closest ||
        !target.closest(".tk-assess-head, .tk-assess-item, #tk-plan, #tk-qual, #tk-composition")) {
      return;
    }
    const typed = target.type === "text" || target.type === "textarea";
    if (typed !== (event.type === "input")) return; // typing: each input; choices: each change
    target.removeAttribute("data-kept");
    if (typed) {
      const clean = Core.normaliseText(target.value); // U+000B from Word becomes a line break
      if (clean !== target.value) {
        const at = target.selectionStart - (target.value.length - clean.length);
        target.value = clean;
        target.setSelectionRange(Math.max(at, 0), Math.max(at, 0));
      }
      showCount(target);
    }
    const practiceId = target.getAttribute("data-practice");
    if (target.getAttribute("data-plan") === "choose") {
      if (target.checked) {
        chosen.add(practiceId);
        if (!actions.has(practiceId)) actions.set(practiceId, {});
      } else {
        chosen.delete(practiceId);
      }
      $(".tk-plan-fields", planItems.get(practiceId)).hidden = !target.checked;
      const file = collect();
      showPlanTable(file, candidates(file));
    } else if (target.hasAttribute("data-field")) {
      if (!actions.has(practiceId)) actions.set(practiceId, {});
      actions.get(practiceId)[target.getAttribute("data-field")] = target.value;
      const file = collect();
      showPlanTable(file, candidates(file));
    } else if (target.closest(".tk-assess-item") && !typed) {
      const id = target.closest(".tk-assess-item").getAttribute("data-practice");
      showRule(id);
      const file = collect();
      showTotals(file);
      showResults(file);
      showPlan(file, id);
      announce(file, id, target.type === "checkbox");
    } else if (target.closest("#tk-qual, #tk-composition")) {
      const file = collect();
      showPlanTable(file, candidates(file));
    } else if (target.id === "plan-next-assessment" || target.id.indexOf("header-") === 0) {
      const file = collect();
      showResults(file);
      showPlanTable(file, candidates(file));
    }
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, 300); // after the totals, not in their frame
  }

  let saveTimer = null;
  const flush = () => {
    if (saveTimer === null) return;
    clearTimeout(saveTimer);
    autosave();
  };

  const commands = {
    save: save,
    open: () => document.getElementById("tk-open-file").click(),
    "export-ratings": exportRatings,
    print: () => {
      document.documentElement.classList.remove("tk-printing-plan");
      window.print();
    },
    clear: clearDevice,
    "forget-all": forgetAll,
    "use-other-tab": useOtherTab,
    "keep-this-tab": keepThisTab,
    compare: () => document.getElementById("tk-compare-file").click(),
    "export-plan": exportPlan,
    "print-plan": printPlan,
    "next-round": startNextRound,
  };

  let chartWidth = 0;
  window.addEventListener("resize", () => { // the chart is drawn at the width it is shown
    const width = $(".tk-chart-svg").clientWidth;
    if (width && width !== chartWidth) { chartWidth = width; showResults(collect()); }
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button[data-action]");
    const name = button && button.getAttribute("data-action");
    if (name && Object.prototype.hasOwnProperty.call(commands, name)) commands[name]();
  });
  document.getElementById("tk-open-file").addEventListener("change", (event) => {
    if (event.target.files[0]) open(event.target.files[0]);
    event.target.value = "";
  });
  document.getElementById("tk-compare-file").addEventListener("change", (event) => {
    compare(event.target.files);
    event.target.value = "";
  });
  document.addEventListener("tk-consensus", recordConsensus);
  document.addEventListener("tk-records-wanted", () => {
    document.dispatchEvent(new CustomEvent("tk-records", { detail: new Map(records) }));
  });
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
  window.addEventListener("storage", storageChanged);
  window.addEventListener("pagehide", flush);
  document.addEventListener("visibilitychange", flush);
  window.addEventListener("afterprint", () => {
    document.documentElement.classList.remove("tk-printing-plan");
  });

  buildPlan();
  $$(".tk-needs-script").forEach((node) => { node.hidden = true; });
  ["tk-assess-tools", "tk-results", "tk-plan"].forEach((id) => {
    document.getElementById(id).hidden = false;
  });
  if (location.protocol === "file:") document.getElementById("tk-file-notice").hidden = false;
  // A focused field or a jump target never lands under the sticky header and toolbar, however
  // tall the toolbar grows (notices, the other-tab box): the scroll padding follows its height.
  const toolbar = document.getElementById("tk-assess-tools");
  const header = document.querySelector(".md-header");
  const pad = () => {
    const height = (header ? header.offsetHeight : 0) + toolbar.offsetHeight;
    document.documentElement.style.scrollPaddingTop = height + 8 + "px";
  };
  if (window.ResizeObserver) new ResizeObserver(pad).observe(toolbar);
  pad();
  try { copyOff = sessionStorage.getItem(STORAGE_KEY + ":off") === "1"; } catch (e) { copyOff = false; }
  document.getElementById("tk-copy-off").checked = copyOff;
  showVersions();
  showUnreadable();
  if (copyOff || !restore()) refresh();
  // Live from now on: what the page says while it loads is shown, not announced.
  document.getElementById("tk-assess-status").setAttribute("role", "status");
  SUMMARY.setAttribute("role", "status");
})();
