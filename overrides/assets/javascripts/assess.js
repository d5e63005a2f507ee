/* The Assess page: live totals, autosave, Save and Open, CSV exports, the results chart with
   comparisons, and the action plan. Plain script: no framework, no build step, no network.
   Text typed by the team is only ever set as a form value or as textContent, never as HTML.
   The arithmetic is the one of macros/assessment/totals.py, on the same data (the JSON that the
   page embeds); tests/test_assess.py checks that both agree. */
(function () {
  "use strict";

  const dataNode = document.getElementById("tk-assess-data");
  if (!dataNode) return;
  const DATA = JSON.parse(dataNode.textContent);
  const STORAGE_KEY = "implementation-toolkit-assessment:" + DATA.toolkit.title;
  const MAX_BYTES = 1000000;
  const MAX_COMPARED = 3; // besides this assessment
  const HEADER_FIELDS = ["kind", "program", "organization", "date", "team"];
  const ACTION_FIELDS = ["strategy", "priority", "responsible", "resources", "timeline", "status"];
  const SCORES = {};
  DATA.scale.forEach((rating) => { SCORES[rating.id] = rating.score; });
  const TOP = Math.max(...DATA.scale.map((rating) => rating.score));
  const LABELS = {};
  DATA.scale.forEach((rating) => { LABELS[rating.id] = rating.label; });
  const DRIVERS = [];
  const PRACTICES = {};
  DATA.categories.forEach((category) => category.drivers.forEach((driver) => {
    DRIVERS.push(driver);
    driver.practices.forEach((practice) => {
      PRACTICES[practice.id] = Object.assign({ driver: driver, category: category.id }, practice);
    });
  }));

  const $ = (selector, within) => (within || document).querySelector(selector);
  const $$ = (selector, within) => Array.from((within || document).querySelectorAll(selector));

  // The page's own elements, found once (by data- attributes, which content cannot write, and
  // before the plan adds ids of its own) and kept: no later element can stand in for them.
  const HEADER_INPUTS = {};
  HEADER_FIELDS.slice(1).forEach((name) => { HEADER_INPUTS[name] = $("[data-header=" + name + "]"); });
  const NEXT_ASSESSMENT = $("[data-plan-next]");
  const planItems = new Map(); // practice id -> its plan item
  const planHeadings = new Map(); // driver id -> its heading in the plan

  // What the page holds besides its form fields: plan rows (kept while unticked, so an
  // accidental untick loses nothing), entries this toolkit version lacks, compared files.
  let actions = {};
  let chosen = new Set();
  let carried = {};
  let compared = [];
  let dirty = false;

  // --- the file: read from the form, write into it -------------------------------------------

  function section(id) { return document.getElementById("assess-" + id); }

  function entryOf(id) {
    const node = section(id);
    const checked = $("input[type=radio]:checked", node);
    const entry = {
      rating: checked && checked.value ? checked.value : null,
      criteria: $$("input[type=checkbox]:checked", node).map((box) => Number(box.value)),
      notes: $("textarea", node).value,
    };
    if (chosen.has(id)) entry.action = actionOf(id);
    return entry;
  }

  function actionOf(id) { return actionFrom(actions[id] || {}); }

  function actionFrom(source) {
    const action = {};
    ACTION_FIELDS.forEach((name) => { action[name] = source[name] || ""; });
    return action;
  }

  // An entry in the file's own order of keys, as macros/assessment/fileformat.py writes it.
  function canonical(entry) {
    const result = {
      rating: entry.rating === undefined ? null : entry.rating,
      criteria: (entry.criteria || []).slice().sort((a, b) => a - b),
      notes: entry.notes || "",
    };
    if (entry.action) result.action = actionFrom(entry.action);
    return result;
  }

  // Every entry of a file by id: its practices, then the carried ones it does not repeat (a
  // best practice carried by another version may be one this version has: it counts again).
  function entriesOf(file) {
    const entries = Object.assign({}, file.practices);
    const kept = isObject(file.carried) ? file.carried : {};
    Object.keys(kept).forEach((id) => { if (!(id in entries)) entries[id] = kept[id]; });
    return entries;
  }

  function collect() {
    const header = {};
    HEADER_FIELDS.forEach((name) => {
      if (name === "kind") {
        const kind = $("input[name=header-kind]:checked");
        header.kind = kind ? kind.value : "";
      } else {
        header[name] = HEADER_INPUTS[name].value;
      }
    });
    const practices = {};
    Object.keys(PRACTICES).forEach((id) => { practices[id] = entryOf(id); });
    return {
      format: DATA.format,
      format_version: DATA.format_version,
      toolkit: { title: DATA.toolkit.title, content_version: DATA.toolkit.content_version },
      header: header,
      practices: practices,
      carried: carried,
      next_assessment: NEXT_ASSESSMENT.value,
    };
  }

  function apply(file) {
    const header = file.header || {};
    $$("input[name=header-kind]").forEach((radio) => { radio.checked = radio.value === header.kind; });
    HEADER_FIELDS.slice(1).forEach((name) => {
      HEADER_INPUTS[name].value = header[name] || "";
    });
    actions = {};
    chosen = new Set();
    carried = {};
    const entries = entriesOf(file);
    Object.keys(entries).forEach((id) => {
      if (!PRACTICES[id]) carried[id] = canonical(entries[id]);
    });
    Object.keys(PRACTICES).forEach((id) => {
      const entry = entries[id] || { rating: null };
      const node = section(id);
      $$("input[type=radio]", node).forEach((radio) => {
        radio.checked = radio.value === (entry.rating || "");
      });
      const ticked = entry.criteria || [];
      $$("input[type=checkbox]", node).forEach((box) => {
        box.checked = ticked.indexOf(Number(box.value)) >= 0;
      });
      $("textarea", node).value = entry.notes || "";
      if (entry.action) {
        actions[id] = Object.assign({}, entry.action);
        chosen.add(id);
      }
    });
    NEXT_ASSESSMENT.value = file.next_assessment || "";
    refresh();
  }

  // --- checking a file before it replaces anything (mirrors macros/assessment/reading.py) -----

  function problemsOf(file) {
    if (!file || typeof file !== "object" || Array.isArray(file) || file.format !== DATA.format) {
      return ["It is not an assessment file of this toolkit."];
    }
    if (file.format_version !== DATA.format_version) {
      return ["It uses format version " + file.format_version + "; this page reads version " +
        DATA.format_version + "."];
    }
    const toolkit = file.toolkit || {};
    if (toolkit.title !== DATA.toolkit.title) {
      return ["It was made with another toolkit (\u201c" + toolkit.title + "\u201d)."];
    }
    const problems = [];
    const text = (value) => typeof value === "string";
    if (!isObject(file.practices)) return ["It has no best practices."];
    const header = file.header || {};
    HEADER_FIELDS.forEach((name) => {
      if (header[name] !== undefined && !text(header[name])) {
        problems.push("header." + name + " is not text.");
      }
    });
    if (header.kind && !DATA.kinds[header.kind]) {
      problems.push("header.kind is not a kind of assessment.");
    }
    const sameVersion = toolkit.content_version === DATA.toolkit.content_version;
    const entries = entriesOf(file);
    Object.keys(entries).forEach((id) => {
      const entry = entries[id];
      const practice = PRACTICES[id];
      const where = "Best practice \u201c" + id + "\u201d: ";
      const criteria = isObject(entry) ? entry.criteria || [] : [];
      const count = !practice ? Infinity : !practice.criteria ? 0
        : practice.criteria.items.length + (practice.criteria.examples ? 1 : 0); // + another like these
      if (!isObject(entry) || !(entry.rating === null || text(entry.rating))) {
        problems.push(where + "not an entry with a rating.");
      } else if (!practice && sameVersion && id in file.practices) {
        problems.push(where + "this toolkit has no such best practice.");
      } else if (practice && entry.rating !== null && !(entry.rating in SCORES)) {
        problems.push(where + "unknown rating.");
      } else if (!Array.isArray(criteria) ||
          criteria.some((n) => !Number.isInteger(n) || n < 1 || (practice && n > count))) {
        problems.push(where + "criteria that do not exist.");
      } else if (entry.notes !== undefined && !text(entry.notes)) {
        problems.push(where + "notes are not text.");
      } else if (entry.action !== undefined && (!isObject(entry.action) ||
          ACTION_FIELDS.some((name) => entry.action[name] !== undefined && !text(entry.action[name])))) {
        problems.push(where + "the action is not text.");
      }
    });
    return problems;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function unknownIds(file) {
    return Object.keys(entriesOf(file)).filter((id) => !PRACTICES[id]);
  }

  // --- totals (the same arithmetic as macros/assessment/totals.py) ----------------------------

  function tally(file) {
    const zero = () => ({ points: 0, possible: 0, rated: 0, not_rated: 0 });
    const add = (a, b) => ({
      points: a.points + b.points, possible: a.possible + b.possible,
      rated: a.rated + b.rated, not_rated: a.not_rated + b.not_rated,
    });
    const result = { drivers: {}, categories: {}, overall: zero() };
    DATA.categories.forEach((category) => {
      let categoryTally = zero();
      category.drivers.forEach((driver) => {
        let driverTally = zero();
        driver.practices.forEach((practice) => {
          const entry = file.practices[practice.id];
          const rating = entry ? entry.rating : null;
          driverTally = add(driverTally, rating === null || rating === undefined
            ? { points: 0, possible: 0, rated: 0, not_rated: 1 }
            : { points: SCORES[rating], possible: TOP, rated: 1, not_rated: 0 });
        });
        result.drivers[driver.id] = driverTally;
        categoryTally = add(categoryTally, driverTally);
      });
      result.categories[category.id] = categoryTally;
      result.overall = add(result.overall, categoryTally);
    });
    return result;
  }

  function percent(t) {
    // Rounded half up, in whole numbers, as in Python: no floating-point surprises.
    return t.possible ? Math.floor((200 * t.points + t.possible) / (2 * t.possible)) : null;
  }

  function tallyWords(t) {
    const p = percent(t);
    const share = p === null ? "no best practice rated"
      : p + "% (" + t.points + " of " + t.possible + " points)";
    return t.not_rated ? share + "; " + t.not_rated + " " + DATA.not_rated.toLowerCase() : share;
  }

  // --- showing the state -----------------------------------------------------------------------

  function refresh() {
    const file = collect();
    Object.keys(PRACTICES).forEach((id) => showRule(id));
    showTotals(file);
    showResults(file);
    Object.keys(PRACTICES).forEach(fillPlanFields);
    showPlan(file);
    showKept();
  }

  function showRule(id) {
    const practice = PRACTICES[id];
    if (!practice.criteria) return;
    const node = section(id);
    const ticked = $$("input[type=checkbox]:checked", node).length;
    const met = ticked >= practice.criteria.required;
    const suggested = met ? DATA.suggestion.rule_met
      : ticked ? DATA.suggestion.some_ticked : DATA.suggestion.none_ticked;
    const status = $("[data-rule-status]", node);
    const of = practice.criteria.examples
      ? " ticked (at least " + practice.criteria.required + " needed)"
      : " of " + practice.criteria.items.length + " ticked";
    status.textContent = ticked + of + ": rule " + (met ? "met" : "not met") +
      ". Suggested rating: " + LABELS[suggested] + ".";
    status.classList.toggle("tk-met", met);
  }

  function showTotals(file) {
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
    const ids = Object.keys(carried);
    box.hidden = !ids.length;
    fillList($("ul", box), ids.map((id) => id + describe(carried[id])));
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

  // --- results: chart and table, this assessment and up to three others -----------------------

  function series(file) {
    const current = { name: "This assessment", date: file.header.date, totals: tally(file) };
    return [current].concat(compared.map((item) => ({
      name: item.name, date: (item.file.header || {}).date || "", totals: tally(item.file),
    })));
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
      row("All " + category.name, (t) => t.categories[category.id], "tk-total-category");
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

  function drawChart(all) {
    const bar = 18, gap = 14, left = 230, width = 700, right = 60, top = 24;
    const plot = width - left - right;
    const group = all.length * bar + gap;
    const height = top + DRIVERS.length * group + 10;
    const chart = svg("svg", {
      viewBox: "0 0 " + width + " " + height, width: "100%", role: "img",
      "aria-labelledby": "tk-chart-title tk-chart-caption", class: "tk-chart-image",
    });
    chart.appendChild(svg("title", { id: "tk-chart-title" },
      "Bar chart: percent of possible points by driver for " + all.map(seriesLabel).join("; ")));
    [0, 25, 50, 75, 100].forEach((tick) => {
      const x = left + plot * tick / 100;
      chart.appendChild(svg("line", {
        x1: x, x2: x, y1: top - 6, y2: height - 10, class: "tk-chart-grid",
      }));
      chart.appendChild(svg("text", {
        x: x, y: top - 10, "text-anchor": "middle", class: "tk-chart-tick",
      }, tick + "%"));
    });
    DRIVERS.forEach((driver, row) => {
      const y0 = top + row * group;
      chart.appendChild(svg("text", {
        x: left - 8, y: y0 + (all.length * bar) / 2 + 5, "text-anchor": "end", class: "tk-chart-label",
      }, driver.name));
      all.forEach((item, index) => {
        const p = percent(item.totals.drivers[driver.id]);
        const y = y0 + index * bar;
        if (p !== null) {
          chart.appendChild(svg("rect", {
            x: left, y: y + 2, width: Math.max(plot * p / 100, 1), height: bar - 4,
            class: "tk-chart-bar tk-series-" + index,
          }));
        }
        chart.appendChild(svg("text", {
          x: left + (p === null ? 0 : plot * p / 100) + 4, y: y + bar - 5, class: "tk-chart-value",
        }, p === null ? "not rated" : p + "%"));
      });
    });
    const legend = document.createElement("ul");
    legend.className = "tk-chart-legend";
    legend.setAttribute("aria-hidden", "true"); // the table says the same
    all.forEach((item, index) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "tk-swatch tk-series-" + index;
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(seriesLabel(item)));
      legend.appendChild(li);
    });
    $(".tk-chart-svg").replaceChildren(chart, legend);
  }

  // --- the action plan -------------------------------------------------------------------------

  function candidates(file) {
    return Object.keys(PRACTICES).filter((id) => {
      const rating = file.practices[id].rating;
      return (rating !== null && SCORES[rating] < TOP) || chosen.has(id);
    });
  }

  function unmet(id) {
    const practice = PRACTICES[id];
    if (!practice.criteria) return [];
    const ticked = $$("input[type=checkbox]:checked", section(id)).map((box) => Number(box.value));
    return practice.criteria.items.filter((item, index) => ticked.indexOf(index + 1) < 0);
  }

  // Every best practice has its plan item from the start, hidden until it is a candidate: a
  // rating change then shows, hides or updates one item, never rebuilds the list.
  function buildPlan() {
    const blocks = [];
    DRIVERS.forEach((driver) => {
      const heading = document.createElement("h3");
      heading.textContent = driver.name;
      heading.id = "plan-driver-" + driver.id;
      planHeadings.set(driver.id, heading);
      blocks.push(heading);
      driver.practices.forEach((practice) => blocks.push(planItem(practice.id)));
    });
    $(".tk-plan-list").replaceChildren(...blocks);
  }

  function planItem(id) {
    const practice = PRACTICES[id];
    const node = document.getElementById("tk-plan-item").content.firstElementChild.cloneNode(true);
    node.id = "plan-" + id;
    planItems.set(id, node);
    node.hidden = true;
    $(".tk-plan-statement", node).textContent =
      practice.driver.name + " " + practice.number + ". " + practice.statement;
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
    return node;
  }

  function showPlanItem(id, entry) {
    const node = planItems.get(id);
    $(".tk-plan-rating", node).textContent = "Rating: " +
      (entry.rating ? LABELS[entry.rating] + " (" + SCORES[entry.rating] + ")" : DATA.not_rated);
    const missing = unmet(id);
    $(".tk-plan-unmet", node).hidden = !missing.length;
    fillList($(".tk-plan-unmet ul", node), missing);
  }

  function fillPlanFields(id) {
    const node = planItems.get(id);
    $("[data-plan=choose]", node).checked = chosen.has(id);
    $(".tk-plan-fields", node).hidden = !chosen.has(id);
    $$("[data-field]", node).forEach((field) => {
      field.value = (actions[id] || {})[field.getAttribute("data-field")] || "";
    });
  }

  function showPlan(file, changedId) {
    const ids = candidates(file);
    const listed = new Set(ids);
    (changedId ? [changedId] : Object.keys(PRACTICES)).forEach((id) => {
      showPlanItem(id, file.practices[id]);
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
    return ids.filter((id) => chosen.has(id)).map((id) => {
      const practice = PRACTICES[id];
      const action = actionOf(id);
      const gap = practice.number + ". " + practice.statement +
        (unmet(id).length ? " Criteria not ticked: " + unmet(id).join(" ") : "");
      const values = { driver: practice.driver.name, "best-practice-or-gap": gap };
      ACTION_FIELDS.forEach((name) => {
        values[name] = name === "priority" ? (DATA.priorities[action.priority] || "") : action[name];
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

  function save() {
    const file = collect();
    download(baseName(file) + ".json", JSON.stringify(file, null, 2) + "\n", "application/json");
    dirty = false;
    status("Saved " + baseName(file) + ".json to your downloads. " +
      "Keep it: it is the record of this assessment.");
  }

  function readFile(file) {
    if (file.size > MAX_BYTES) return Promise.reject(new Error("It is larger than 1 MB."));
    return file.text().then((text) => {
      let value;
      try {
        value = JSON.parse(text.replace(/^\uFEFF/, ""));
      } catch (error) {
        throw new Error("It is not JSON, so not an assessment file.");
      }
      const problems = problemsOf(value);
      if (problems.length) throw new Error(problems.slice(0, 5).join(" "));
      return value;
    });
  }

  function open(file) {
    readFile(file).then((value) => {
      const question = "Replace the assessment on this page with " + file.name +
        "? Changes not saved to a file are lost.";
      if (dirty && !window.confirm(question)) {
        status("Nothing opened: the assessment on this page is unchanged.");
        return;
      }
      apply(value);
      autosave();
      dirty = false;
      const kept = unknownIds(value);
      status("Opened " + file.name + "." + (kept.length
        ? " " + kept.length + " best practice(s) of another version of the toolkit are kept, " +
          "not scored: " + kept.join(", ") + "."
        : ""));
    }, (error) => {
      status("Could not open " + file.name + ": " + error.message +
        " The assessment on this page is unchanged.", true);
    });
  }

  function compare(files) {
    const room = MAX_COMPARED - compared.length;
    const list = Array.from(files);
    const refused = list.slice(Math.max(room, 0)).map((file) => file.name);
    Promise.all(list.slice(0, Math.max(room, 0)).map((file) => readFile(file).then(
      (value) => ({
        name: file.name,
        file: Object.assign({}, value, { practices: entriesOf(value) }),
        unknown: unknownIds(value),
      }),
      (error) => ({ name: file.name, error: error.message }),
    ))).then((results) => {
      const messages = [];
      results.forEach((result) => {
        if (result.error) {
          messages.push("Could not compare " + result.name + ": " + result.error);
        } else {
          compared.push(result);
          messages.push("Comparing " + result.name + "." + (result.unknown.length
            ? " Not compared, not in this toolkit version: " + result.unknown.join(", ") + "." : ""));
        }
      });
      if (refused.length) {
        messages.push("At most four assessments side by side: " + refused.join(", ") + " not added.");
      }
      showResults(collect());
      status(messages.join(" "), results.some((result) => result.error) || refused.length > 0);
    });
  }

  function csvCell(value) {
    let text = String(value === null || value === undefined ? "" : value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // not a formula when opened in a spreadsheet
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csv(rows) {
    return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  function exportRatings() {
    const file = collect();
    const rows = [["driver", "id", "statement", "criteria ticked", "rating", "points", "notes"]];
    Object.keys(PRACTICES).forEach((id) => {
      const practice = PRACTICES[id];
      const entry = file.practices[id];
      const items = practice.criteria ? practice.criteria.items.length : 0;
      const criteria = entry.criteria  // numbers, as in the file; "another" for one like these
        .map((number) => (number > items ? "another like these" : String(number))).join(", ");
      rows.push([practice.driver.name, id, practice.statement, criteria,
        entry.rating ? LABELS[entry.rating] : DATA.not_rated,
        entry.rating ? SCORES[entry.rating] : "", entry.notes]);
    });
    download(baseName(file) + "-ratings.csv", csv(rows), "text/csv");
    status("Exported the ratings as " + baseName(file) + "-ratings.csv.");
  }

  function exportPlan() {
    const file = collect();
    const columns = Object.keys(DATA.plan_columns);
    const headings = columns.map((name) => DATA.plan_columns[name]);
    const rows = [headings.concat(["best practice id", "next assessment"])];
    planRows(file, candidates(file)).forEach((row) => {
      rows.push(columns.map((name) => row.values[name]).concat([row.id, file.next_assessment]));
    });
    download(baseName(file) + "-action-plan.csv", csv(rows), "text/csv");
    status("Exported the action plan as " + baseName(file) + "-action-plan.csv.");
  }

  // --- autosave --------------------------------------------------------------------------------

  function autosave() {
    saveTimer = null;
    try {
      const copy = { saved: new Date().toISOString(), file: collect() };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(copy));
      return true;
    } catch (error) {
      status("This browser does not keep an automatic copy here; use Save to keep your work.", true);
      return false;
    }
  }

  function restore() {
    let stored = null;
    try {
      stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    } catch (error) {
      stored = null;
    }
    if (!stored || !stored.file || problemsOf(stored.file).length) return false;
    apply(stored.file);
    status("Restored the automatic copy kept in this browser (last change " +
      new Date(stored.saved).toLocaleString() + "). Save a file to keep it.");
    return true;
  }

  function clearDevice() {
    const question = "Remove this assessment from this browser and empty the form? " +
      "Anything not saved to a file is lost.";
    if (!window.confirm(question)) return;
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch (error) { /* nothing stored */ }
    compared = [];
    apply({ practices: {} });
    dirty = false;
    status("Cleared: nothing of this assessment is stored in this browser now.");
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
    if (!target.closest || !target.closest(".tk-assess-head, .tk-assess-item, #tk-plan")) return;
    const typed = target.type === "text" || target.type === "textarea";
    if (typed !== (event.type === "input")) return; // typing: each input; choices: each change
    const practiceId = target.getAttribute("data-practice");
    if (target.getAttribute("data-plan") === "choose") {
      if (target.checked) {
        chosen.add(practiceId);
        actions[practiceId] = actions[practiceId] || {};
      } else {
        chosen.delete(practiceId);
      }
      $(".tk-plan-fields", planItems.get(practiceId)).hidden = !target.checked;
      const file = collect();
      showPlanTable(file, candidates(file));
    } else if (target.hasAttribute("data-field")) {
      actions[practiceId] = actions[practiceId] || {};
      actions[practiceId][target.getAttribute("data-field")] = target.value;
      const file = collect();
      showPlanTable(file, candidates(file));
    } else if (target.closest(".tk-assess-item") && !typed) {
      const id = target.closest(".tk-assess-item").getAttribute("data-practice");
      showRule(id);
      const file = collect();
      showTotals(file);
      showResults(file);
      showPlan(file, id);
    } else if (target.id === "plan-next-assessment" || target.id.indexOf("header-") === 0) {
      const file = collect();
      showResults(file);
      showPlanTable(file, candidates(file));
    }
    dirty = true;
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
    compare: () => document.getElementById("tk-compare-file").click(),
    "export-plan": exportPlan,
    "print-plan": printPlan,
  };

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button[data-action]");
    const command = button && commands[button.getAttribute("data-action")];
    if (command) command();
  });
  document.getElementById("tk-open-file").addEventListener("change", (event) => {
    if (event.target.files[0]) open(event.target.files[0]);
    event.target.value = "";
  });
  document.getElementById("tk-compare-file").addEventListener("change", (event) => {
    compare(event.target.files);
    event.target.value = "";
  });
  document.addEventListener("input", changed);
  document.addEventListener("change", changed);
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
  if (!restore()) refresh();
})();
