/* The assessment record without a page: reading a file (strict JSON with positions), checking
   it, upgrading format 1, totals, the canonical file and CSV cells. No DOM access; one
   namespace, ToolkitCore. It keeps the contract of macros/assessment/ (jsontext.py, checking.py,
   fileformat.py, totals.py) step for step and word for word: tests/cases/ runs every case
   through both. Objects read from a file are Maps, so no key or value can be a name on
   Object.prototype ("__proto__", "toString"). */
var ToolkitCore = (function () {
  "use strict";

  const FORMAT = "implementation-toolkit-assessment";
  const FORMAT_VERSION = 2;
  const ANOTHER = "another"; // the criterion id of "another one like these" (model.py)
  const MAX_BYTES = 1000000;
  const MAX_DEPTH = 64;
  const SHOWN_VALUE = 40;
  const KINDS = ["checklist", "consensus-scoring"];
  const PRIORITIES = ["quick-win", "longer-term"];
  const HEADER_FIELDS = ["kind", "program", "organization", "date", "team"];
  const ACTION_FIELDS = ["strategy", "priority", "responsible", "resources", "timeline", "status"];
  // An action's status as the page offers it (fileformat.STATUSES); the field stays free text.
  const STATUSES = ["not-started", "in-progress", "done", "dropped"];
  const TOP_KEYS = ["format", "format_version", "toolkit", "header", "practices", "carried",
    "next_assessment", "qualitative", "composition"];
  const MODES = ["team", "interview"];
  const NOTED = ["gap", "strength"];
  const QUALITATIVE_KEYS = ["mode", "respondents", "answers"];
  const ANSWER_KEYS = ["respondent", "text", "noted", "action"];
  const COMPOSITION_KEYS = ["members", "groups"];
  const MEMBER_FIELDS = ["name", "role", "authority", "experience", "knowledge"];
  const GROUP_FIELDS = ["characteristic", "group", "count"];
  const SMALLEST_GROUP = 3; // part 2 merges smaller groups: one or two people could be recognised
  const TOOLKIT_KEYS = ["title", "content_version"];
  const ENTRY_KEYS = ["rating", "criteria", "notes", "action", "carried_criteria", "consensus",
    "not_rated"];
  const CONSENSUS_TEXTS = ["rationale", "evidence", "dissent"];
  const CONSENSUS_KEYS = ["rounds"].concat(CONSENSUS_TEXTS, ["needs_evidence", "prefilled"]);
  const NOT_RATED = "not_rated";
  const MAX_ROUNDS = 9;
  const MAX_VOTERS = 1000;
  const BALLOT_FORMAT = "implementation-toolkit-ballot";
  const BALLOT_VERSION = 1;
  const BALLOT_KEYS = ["format", "format_version", "toolkit", "alias", "round", "votes"];
  const VOTE_KEYS = ["rating", "criteria", "note"];
  const NOTE_LIMIT = 500;
  const MAX_ROUND = 9;
  const NO_BALLOT = 'not a ballot file: it has no "format": "' + BALLOT_FORMAT + '"';
  const LINE_LIMIT = 300;
  const TEXT_LIMIT = 4000;
  const LINE_FIELDS = ["program", "organization"];
  const MAX_CRITERION = 1000;
  const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
  const CARRIED_TICK = /^([a-z][a-z0-9]*(-[a-z0-9]+)*|[1-9][0-9]{0,3}@[0-9a-f]{16})$/;
  const VERSION = /^[0-9a-f]{16}$/;
  const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  const NO_FORMAT = 'not an assessment file: it has no "format": "' + FORMAT + '"';
  const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

  /** A number that is not a whole one of at most 15 digits: never an exact integer here. */
  function JsonFloat(text) { this.text = text; }

  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const isMap = (value) => value instanceof Map;

  function shorten(value) {
    const chars = Array.from(String(value));
    const text = chars.length > SHOWN_VALUE
      ? chars.slice(0, SHOWN_VALUE).join("") + "... (" + chars.length + " characters)"
      : chars.join("");
    return "'" + text + "'";
  }

  function fieldName(location) {
    let text = "";
    location.forEach((part) => {
      text += typeof part === "number" ? "[" + part + "]" : text ? "." + part : String(part);
    });
    return text || "(document)";
  }

  const locKey = (location) => JSON.stringify(location);

  // --- strict JSON with positions (jsontext.py) --------------------------------------------

  function JsonError(line, column, message, location) {
    this.line = line; this.column = column; this.message = message; this.location = location;
  }

  function parseJson(text) {
    const chars = Array.from(text); // code points: columns count characters, as Python does
    let at = 0, line = 1, lineStart = 0;
    const valueMarks = new Map(), keyMarks = new Map();
    const mark = () => [line, at - lineStart + 1];
    const fail = (message) => new JsonError(line, at - lineStart + 1, message, null);
    const peek = () => (at < chars.length ? chars[at] : "");
    const ended = () => (at < chars.length ? "" : "the file ends too early");
    const isDigit = (c) => c >= "0" && c <= "9" && c.length === 1;
    const isHex = (c) => /^[0-9a-fA-F]$/.test(c);

    function blank() {
      while (at < chars.length && " \t\r\n".indexOf(chars[at]) >= 0) {
        if (chars[at] === "\n") { line += 1; lineStart = at + 1; }
        at += 1;
      }
    }
    function startsWith(word) { return chars.slice(at, at + word.length).join("") === word; }

    function value(location, depth) {
      blank();
      valueMarks.set(locKey(location), mark());
      const c = peek();
      if (c === "{") return mapping(location, depth + 1);
      if (c === "[") return sequence(location, depth + 1);
      if (c === '"') return string();
      if (c === "-" || isDigit(c)) return number();
      for (const [word, result] of [["true", true], ["false", false], ["null", null]]) {
        if (startsWith(word)) { at += word.length; return result; }
      }
      if (!c) throw fail("the file ends too early");
      throw fail("expected a value");
    }

    function mapping(location, depth) {
      if (depth > MAX_DEPTH) throw fail("nested far too deeply");
      at += 1;
      const result = new Map();
      blank();
      if (peek() === "}") { at += 1; return result; }
      for (;;) {
        blank();
        if (peek() !== '"') throw fail(ended() || "expected a key in double quotes");
        const where = mark();
        const key = string();
        const keyLocation = location.concat([key]);
        if (result.has(key)) {
          const first = keyMarks.get(locKey(keyLocation))[0];
          throw new JsonError(where[0], where[1],
            "this key is given twice (first at line " + first + ")", keyLocation);
        }
        keyMarks.set(locKey(keyLocation), where);
        blank();
        if (peek() !== ":") throw fail(ended() || "expected ':' after the key");
        at += 1;
        result.set(key, value(keyLocation, depth));
        blank();
        const c = peek();
        at += 1;
        if (c === "}") return result;
        if (c !== ",") { at -= 1; throw fail(ended() || "expected ',' or '}'"); }
      }
    }

    function sequence(location, depth) {
      if (depth > MAX_DEPTH) throw fail("nested far too deeply");
      at += 1;
      const result = [];
      blank();
      if (peek() === "]") { at += 1; return result; }
      for (;;) {
        result.push(value(location.concat([result.length]), depth));
        blank();
        const c = peek();
        at += 1;
        if (c === "]") return result;
        if (c !== ",") { at -= 1; throw fail(ended() || "expected ',' or ']'"); }
      }
    }

    function string() {
      at += 1;
      let out = "";
      for (;;) {
        const c = peek();
        if (!c) throw fail("the file ends too early");
        if (c === '"') { at += 1; return out; }
        if (c < " ") throw fail("a line break or control character inside text in quotes");
        if (c !== "\\") { out += c; at += 1; continue; }
        const escape = at + 1 < chars.length ? chars[at + 1] : "";
        if (escape && own(ESCAPES, escape)) { out += ESCAPES[escape]; at += 2; }
        else if (escape === "u") out += unicodeEscape();
        else throw fail("an unknown escape after '\\'");
      }
    }

    function hex4(from) {
      const digits = chars.slice(from, from + 4);
      return digits.length === 4 && digits.every(isHex) ? parseInt(digits.join(""), 16) : null;
    }

    function unicodeEscape() {
      const code = hex4(at + 2);
      if (code === null) throw fail("an unknown escape after '\\'");
      if (code >= 0xDC00 && code <= 0xDFFF) throw fail("half a character (a lone surrogate escape)");
      if (code >= 0xD800 && code <= 0xDBFF) {
        const low = chars[at + 6] === "\\" && chars[at + 7] === "u" ? hex4(at + 8) : null;
        if (low === null || low < 0xDC00 || low > 0xDFFF) {
          throw fail("half a character (a lone surrogate escape)");
        }
        at += 12;
        return String.fromCodePoint(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00));
      }
      at += 6;
      return String.fromCharCode(code);
    }

    function digits() { while (isDigit(peek())) at += 1; }
    function needDigits() {
      if (!isDigit(peek())) throw fail(ended() || "expected a digit");
      digits();
    }

    function number() {
      const start = at;
      if (peek() === "-") at += 1;
      if (peek() === "0") at += 1;
      else if (isDigit(peek())) digits();
      else throw fail(ended() || "expected a value");
      let whole = true;
      if (peek() === ".") { whole = false; at += 1; needDigits(); }
      if (peek() === "e" || peek() === "E") {
        whole = false;
        at += 1;
        if (peek() === "+" || peek() === "-") at += 1;
        needDigits();
      }
      const literal = chars.slice(start, at).join("");
      if (whole && literal.replace(/^-/, "").length <= 15) return Number(literal);
      return new JsonFloat(literal);
    }

    const result = value([], 0);
    blank();
    if (at < chars.length) throw fail("more text after the end of the JSON value");
    return { value: result, valueMarks: valueMarks, keyMarks: keyMarks };
  }

  // --- checking (checking.py) ----------------------------------------------------------------

  function kind(value) {
    if (value === null) return "nothing";
    if (typeof value === "boolean") return "true/false";
    if (typeof value === "number" || value instanceof JsonFloat) return "a number";
    if (typeof value === "string") return "text";
    return Array.isArray(value) ? "a list" : "a mapping";
  }

  function isDate(text) {
    const match = DATE.exec(text);
    if (!match) return false;
    const year = Number(match[1]), month = Number(match[2]), day = Number(match[3]);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
  }

  function controlCharacter(text) {
    for (const c of text) {
      const code = c.codePointAt(0);
      if ((code < 32 && "\t\n\r".indexOf(c) < 0) || code === 0x7f) {
        return "contains the control character U+" +
          code.toString(16).toUpperCase().padStart(4, "0") + "; remove it";
      }
    }
    return null;
  }

  function practicesOf(data) {
    const known = new Map();
    data.categories.forEach((category) => category.drivers.forEach((driver) => {
      driver.practices.forEach((practice) => known.set(practice.id, practice));
    }));
    return known;
  }

  function criterionIds(practice) {
    const criteria = practice ? practice.criteria : null;
    if (!criteria) return [];
    const ids = criteria.items.map((item) => item.id);
    return criteria.examples ? ids.concat([ANOTHER]) : ids;
  }

  function noNumber(number, practice) {
    const criteria = practice.criteria;
    const count = criteria ? criteria.items.length : 0;
    let has = count ? "has " + count + " criteria" : "has no criteria";
    if (criteria && criteria.examples) has += " (and " + (count + 1) + " for another one like these)";
    return "criterion " + number + " does not exist: this best practice " + has;
  }

  /** Every problem of a parsed file as [location, message, isKey], in checking.py's order. */
  /** Every problem of a parsed file (a ballot when `ballot`), as checking.py finds them. */
  function check(value, data, ballot) {
    const found = [];
    const known = practicesOf(data);
    const scale = data.scale.map((rating) => rating.id);
    const add = (location, message, key) => found.push([location, message, Boolean(key)]);

    function mapping(v, location, keys, required) {
      if (!isMap(v)) {
        add(location, "expected a mapping of fields, found " + kind(v));
        return false;
      }
      v.forEach((_, name) => {
        if (keys.indexOf(name) < 0) {
          add(location.concat([name]),
            "unknown key " + shorten(name) + "; allowed: " + keys.join(", "), true);
        }
      });
      (required || []).forEach((name) => {
        if (!v.has(name)) add(location.concat([name]), "is required but missing");
      });
      return true;
    }
    function text(v, location, limit) {
      if (typeof v !== "string") { add(location, "expected text, found " + kind(v)); return; }
      const problem = controlCharacter(v);
      const size = Array.from(v).length;
      if (problem) add(location, problem);
      else if (size > (limit || TEXT_LIMIT)) {
        add(location, "is " + size + " characters long; at most " + (limit || TEXT_LIMIT) +
          " fit here");
      }
    }
    function date(v, location) {
      if (typeof v !== "string") add(location, "expected text, found " + kind(v));
      else if (v && !isDate(v)) add(location, shorten(v) + " is not a date as YYYY-MM-DD");
    }
    function choice(v, location, options) {
      if (typeof v !== "string") add(location, "expected text, found " + kind(v));
      else if (v && options.indexOf(v) < 0) {
        add(location, shorten(v) + " is not one of: " + options.join(", ") + " (or empty)");
      }
    }

    /** The format, version and toolkit (checking.py `head`): [version, same] or null. */
    function head(format, noFormat, keys, required, versions) {
      if (!isMap(value) || value.get("format") !== format) {
        found.splice(0, found.length, [[], noFormat, false]);
        return null;
      }
      mapping(value, [], keys, required);
      const version = value.get("format_version");
      if (value.has("format_version") && versions.indexOf(version) < 0) {
        add(["format_version"], "is not a format version this toolkit reads (" +
          versions.join(" or ") + "); a newer toolkit may have saved it");
        return null;
      }
      const toolkit = value.get("toolkit");
      if (value.has("toolkit") && mapping(toolkit, ["toolkit"], TOOLKIT_KEYS, TOOLKIT_KEYS)) {
        text(toolkit.has("title") ? toolkit.get("title") : "", ["toolkit", "title"], LINE_LIMIT);
        const saved = toolkit.has("content_version") ? toolkit.get("content_version") : "";
        if (typeof saved !== "string") {
          add(["toolkit", "content_version"], "expected text, found " + kind(saved));
        } else if (!VERSION.test(saved)) {
          add(["toolkit", "content_version"],
            shorten(saved) + " is not a content version (16 hexadecimal digits)");
        }
        const title = data.toolkit.title;
        if (!found.length && toolkit.get("title") !== title) {
          found.splice(0, found.length, [["toolkit", "title"], "this file was made with another " +
            "toolkit ('" + toolkit.get("title") + "'); this is '" + title + "'", false]);
          return null;
        }
      }
      if (found.length || typeof version !== "number") return null;
      return [version, toolkit.get("content_version") ===
        (version === 1 && format === FORMAT ? data.content_version_1 : data.toolkit.content_version)];
    }

    if (ballot) return checkBallot();
    const started = head(FORMAT, NO_FORMAT, TOP_KEYS, ["format_version", "toolkit", "practices"],
      [1, 2]);
    if (!started) return found;
    const version = started[0], same = started[1];
    const header = value.has("header") ? value.get("header") : new Map();
    if (mapping(header, ["header"], HEADER_FIELDS)) {
      HEADER_FIELDS.forEach((name) => {
        if (!header.has(name)) return;
        const where = ["header", name];
        if (name === "kind") choice(header.get(name), where, KINDS);
        else if (name === "date") date(header.get(name), where);
        else text(header.get(name), where, LINE_FIELDS.indexOf(name) >= 0 ? LINE_LIMIT : TEXT_LIMIT);
      });
    }
    ["practices", "carried"].forEach((section) => {
      const entries = value.has(section) ? value.get(section) : new Map();
      if (!isMap(entries)) {
        add([section], "expected a mapping of fields, found " + kind(entries));
        return;
      }
      entries.forEach((entry, id) => {
        const where = [section, id];
        if (!SLUG.test(id)) { add(where, shorten(id) + " is not a best practice id", true); return; }
        const practice = known.get(id);
        if (!practice && same && section === "practices") {
          add(where, "this toolkit has no best practice " + shorten(id), true);
        }
        checkEntry(entry, where, practice, version, same);
      });
    });
    if (value.has("next_assessment")) date(value.get("next_assessment"), ["next_assessment"]);
    if (value.has("qualitative")) qualitative(value.get("qualitative"), ["qualitative"]);
    if (value.has("composition")) composition(value.get("composition"), ["composition"]);
    return found;

    function items(v, where) {
      if (Array.isArray(v)) return v;
      add(where, "expected a list, found " + kind(v));
      return [];
    }

    function checkAction(action, where) {
      if (!mapping(action, where, ACTION_FIELDS)) return;
      ACTION_FIELDS.forEach((name) => {
        if (!action.has(name)) return;
        const spot = where.concat([name]);
        if (name === "priority") choice(action.get(name), spot, PRIORITIES);
        else if (name === "timeline") date(action.get(name), spot);
        else text(action.get(name), spot);
      });
    }

    function qualitative(v, where) {
      if (!mapping(v, where, QUALITATIVE_KEYS, ["mode"])) return;
      if (v.has("mode")) {
        const mode = v.get("mode");
        if (typeof mode !== "string" || MODES.indexOf(mode) < 0) {
          add(where.concat(["mode"]), (typeof mode === "string" ? shorten(mode) : kind(mode)) +
            " is not one of: " + MODES.join(", "));
        }
      }
      const respondents = items(v.has("respondents") ? v.get("respondents") : [],
        where.concat(["respondents"]));
      respondents.forEach((name, index) => {
        const spot = where.concat(["respondents", index]);
        text(name, spot, LINE_LIMIT);
        if (typeof name === "string" && !name.trim()) {
          add(spot, "is empty; name the respondent or give a label");
        } else if (typeof name === "string" && respondents.slice(0, index).indexOf(name) >= 0) {
          add(spot, "lists the same respondent twice");
        }
      });
      const answers = v.has("answers") ? v.get("answers") : new Map();
      if (!isMap(answers)) {
        add(where.concat(["answers"]), "expected a mapping of fields, found " + kind(answers));
        return;
      }
      answers.forEach((list, id) => {
        const spot = where.concat(["answers", id]);
        if (!SLUG.test(id)) { add(spot, shorten(id) + " is not a question id", true); return; }
        items(list, spot).forEach((answer, index) => {
          checkAnswer(answer, spot.concat([index]), respondents);
        });
      });
    }

    function checkAnswer(answer, where, respondents) {
      if (!mapping(answer, where, ANSWER_KEYS)) return;
      if (answer.has("respondent")) {
        const who = answer.get("respondent");
        text(who, where.concat(["respondent"]), LINE_LIMIT);
        if (typeof who === "string" && who && respondents.indexOf(who) < 0) {
          add(where.concat(["respondent"]), shorten(who) + " is not one of the respondents");
        }
      }
      if (answer.has("text")) text(answer.get("text"), where.concat(["text"]));
      if (answer.has("noted")) choice(answer.get("noted"), where.concat(["noted"]), NOTED);
      if (answer.has("action")) {
        if (answer.get("noted") !== "gap") {
          add(where.concat(["action"]), "only an answer noted as a gap goes into the plan");
        } else checkAction(answer.get("action"), where.concat(["action"]));
      }
    }

    function composition(v, where) {
      if (!mapping(v, where, COMPOSITION_KEYS)) return;
      const names = [];
      items(v.has("members") ? v.get("members") : [], where.concat(["members"]))
        .forEach((member, index) => {
          const spot = where.concat(["members", index]);
          if (!mapping(member, spot, MEMBER_FIELDS)) return;
          MEMBER_FIELDS.forEach((name) => {
            if (member.has(name)) text(member.get(name), spot.concat([name]), LINE_LIMIT);
          });
          const name = member.get("name");
          if (typeof name === "string" && name.trim()) names.push(name.trim());
        });
      items(v.has("groups") ? v.get("groups") : [], where.concat(["groups"]))
        .forEach((group, index) => {
          const spot = where.concat(["groups", index]);
          if (!mapping(group, spot, GROUP_FIELDS, ["count"])) return;
          const count = group.has("count") ? group.get("count") : SMALLEST_GROUP;
          if (typeof count !== "number") {
            add(spot.concat(["count"]), "expected a whole number, found " + kind(count));
          } else if (count < SMALLEST_GROUP) {
            add(spot.concat(["count"]), "a group of " + count + " could name its members; " +
              "merge groups smaller than " + SMALLEST_GROUP);
          }
          ["characteristic", "group"].forEach((name) => {
            if (!group.has(name)) return;
            const said = group.get(name);
            text(said, spot.concat([name]), LINE_LIMIT);
            const lower = typeof said === "string" ? said.toLowerCase() : "";
            const named = names.find((person) => lower.indexOf(person.toLowerCase()) >= 0);
            if (named) {
              add(spot.concat([name]), "names a team member (" + shorten(named) +
                "); part 2 holds no names");
            }
          });
        });
    }

    function checkEntry(entry, where, practice, version, same) {
      const keys = version === 2 ? ENTRY_KEYS : ENTRY_KEYS.slice(0, 4);
      if (!mapping(entry, where, keys, ["rating"])) return;
      rating(entry, where, practice);
      if (entry.has("criteria")) {
        ticks(entry.get("criteria"), where.concat(["criteria"]), practice, version, same);
      }
      if (entry.has("carried_criteria")) {
        carriedTicks(entry.get("carried_criteria"), where.concat(["carried_criteria"]));
      }
      if (entry.has("notes")) text(entry.get("notes"), where.concat(["notes"]));
      if (entry.has("consensus")) consensus(entry.get("consensus"), where.concat(["consensus"]), practice);
      if (entry.has("action")) checkAction(entry.get("action"), where.concat(["action"]));
      if (entry.has("not_rated") && typeof entry.get("not_rated") !== "boolean") {
        add(where.concat(["not_rated"]), "expected true or false, found " + kind(entry.get("not_rated")));
      }
    }

    function rating(entry, where, practice) {
      const given = entry.get("rating");
      if (entry.has("rating") && given !== null) {
        const good = practice ? typeof given === "string" && scale.indexOf(given) >= 0
          : typeof given === "string" && SLUG.test(given);
        if (!good) {
          const shown = typeof given === "string" ? shorten(given) + " is not a rating; e" : "e";
          add(where.concat(["rating"]), shown + "xpected one of " + scale.join(", ") + ", or null");
        }
      }
    }

    function consensus(record, where, practice) {
      if (!mapping(record, where, CONSENSUS_KEYS)) return;
      const rounds = record.has("rounds") ? record.get("rounds") : [];
      if (!Array.isArray(rounds)) add(where.concat(["rounds"]), "expected a list, found " + kind(rounds));
      else if (rounds.length > MAX_ROUNDS) {
        add(where.concat(["rounds"]), "has " + rounds.length + " rounds; at most " + MAX_ROUNDS +
          " are kept");
      } else rounds.forEach((counts, index) => roundCounts(counts, where.concat(["rounds", index]), practice));
      CONSENSUS_TEXTS.forEach((name) => {
        if (record.has(name)) text(record.get(name), where.concat([name]));
      });
      ["needs_evidence", "prefilled"].forEach((name) => {
        if (record.has(name) && typeof record.get(name) !== "boolean") {
          add(where.concat([name]), "expected true or false, found " + kind(record.get(name)));
        }
      });
    }

    function roundCounts(counts, where, practice) {
      if (!isMap(counts)) { add(where, "expected a mapping of fields, found " + kind(counts)); return; }
      counts.forEach((count, key) => {
        const known = practice ? scale.indexOf(key) >= 0 : SLUG.test(key);
        if (key !== NOT_RATED && !known) {
          add(where.concat([key]), shorten(key) + " is not a rating; allowed: " +
            scale.concat([NOT_RATED]).join(", "), true);
        } else if (typeof count !== "number" || count < 0 || count > MAX_VOTERS) {
          add(where.concat([key]), "expected a whole number from 0 to " + MAX_VOTERS + ", found " +
            (typeof count === "number" ? String(count) : kind(count)));
        }
      });
    }

    function checkBallot() {
      const started = head(BALLOT_FORMAT, NO_BALLOT, BALLOT_KEYS,
        ["format_version", "toolkit", "votes"], [BALLOT_VERSION]);
      if (!started) return found;
      const same = started[1];
      if (value.has("alias")) text(value.get("alias"), ["alias"], LINE_LIMIT);
      const number = value.has("round") ? value.get("round") : 1;
      if (typeof number !== "number" || number < 1 || number > MAX_ROUND) {
        add(["round"], "expected a whole number from 1 to " + MAX_ROUND + ", found " +
          (typeof number === "number" ? String(number) : kind(number)));
      }
      const votes = value.get("votes");
      if (!isMap(votes)) {
        add(["votes"], "expected a mapping of fields, found " + kind(votes));
        return found;
      }
      votes.forEach((vote, id) => {
        const where = ["votes", id];
        if (!SLUG.test(id)) { add(where, shorten(id) + " is not a best practice id", true); return; }
        const practice = known.get(id);
        if (!practice && same) add(where, "this toolkit has no best practice " + shorten(id), true);
        if (!mapping(vote, where, VOTE_KEYS, ["rating"])) return;
        rating(vote, where, practice);
        if (vote.has("criteria")) ticks(vote.get("criteria"), where.concat(["criteria"]), practice, 2, same);
        if (vote.has("note")) text(vote.get("note"), where.concat(["note"]), NOTE_LIMIT);
      });
      return found;
    }

    function ticks(list, where, practice, version, same) {
      if (!Array.isArray(list)) { add(where, "expected a list, found " + kind(list)); return; }
      const ids = criterionIds(practice);
      const seen = [];
      list.forEach((tick, index) => {
        const spot = where.concat([index]);
        if (version === 1) {
          if (typeof tick !== "number" || tick < 1 || tick > MAX_CRITERION) {
            add(spot, "expected a whole number from 1 to " + MAX_CRITERION + ", found " +
              (typeof tick === "number" ? String(tick) : kind(tick)));
            return;
          }
          if (practice && same && tick > ids.length) { add(spot, noNumber(tick, practice)); return; }
        } else if (typeof tick !== "string" || !SLUG.test(tick)) {
          add(spot, "expected a criterion id, found " +
            (typeof tick === "string" ? shorten(tick) : kind(tick)));
          return;
        } else if (practice && same && ids.indexOf(tick) < 0) {
          add(spot, "this best practice has no criterion " + shorten(tick));
          return;
        }
        if (seen.indexOf(tick) >= 0) add(spot, "lists the same criterion twice");
        seen.push(tick);
      });
    }

    function carriedTicks(list, where) {
      if (!Array.isArray(list)) { add(where, "expected a list, found " + kind(list)); return; }
      list.forEach((tick, index) => {
        if (typeof tick !== "string" || !CARRIED_TICK.test(tick)) {
          add(where.concat([index]), "expected a criterion id, found " +
            (typeof tick === "string" ? shorten(tick) : kind(tick)));
        } else if (list.slice(0, index).indexOf(tick) >= 0) {
          add(where.concat([index]), "lists the same criterion twice");
        }
      });
    }
  }

  // --- reading a file (reading.py) ------------------------------------------------------------

  function tooBig(size, noun) {
    const tenths = Math.floor((size + 50000) / 100000);
    return "file is " + Math.floor(tenths / 10) + "." + (tenths % 10) +
      " MB; " + (noun || "an assessment") + " file may be at most 1 MB";
  }

  function compareText(a, b) {
    const x = Array.from(a), y = Array.from(b); // by code point, as Python compares
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  function compareProblems(a, b) {
    return a[0] - b[0] || a[1] - b[1] || compareText(a[2], b[2]) || compareText(a[3], b[3]);
  }

  function markOf(marks, keyMarks, location, key) {
    if (key && keyMarks.has(locKey(location))) return keyMarks.get(locKey(location));
    let where = location;
    while (!marks.has(locKey(where)) && where.length) where = where.slice(0, -1);
    return marks.get(locKey(where)) || [1, 1];
  }

  /** Read a file's bytes (a Uint8Array) as --assessment reads them. Returns {assessment} or
   {problems: ["shown:line:column: field: message", ...]}. */
  function readBytes(bytes, data, shown) {
    const read = readChecked(bytes, data, shown, "an assessment", false);
    return read.problems ? read : { assessment: upgrade(read.value, data) };
  }

  /** The checked value of a file's bytes, an assessment or (when `ballot`) a ballot: {value}
   or {problems}, as reading.py reads either. */
  function readChecked(bytes, data, shown, noun, ballot) {
    const fail = (message, line, column, field) => ({
      problems: [shown + ":" + (line || 1) + ":" + (column || 1) + ": " + (field || "(file)") +
        ": " + message],
    });
    if (bytes.length > MAX_BYTES) return fail(tooBig(bytes.length, noun));
    if (bytes.indexOf(0) >= 0) return fail("this is a binary file, not " + noun + " (a JSON file)");
    let text;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); // drops a UTF-8 BOM
    } catch (error) {
      return fail("this file is not UTF-8 text, so not " + noun + " (a JSON file)");
    }
    return checkText(text, data, shown, noun, ballot);
  }

  function readText(text, data, shown) {
    const read = checkText(text, data, shown, "an assessment", false);
    return read.problems ? read : { assessment: upgrade(read.value, data) };
  }

  function checkText(text, data, shown, noun, ballot) {
    let parsed;
    try {
      parsed = parseJson(text);
    } catch (error) {
      if (!(error instanceof JsonError)) throw error;
      const line = error.line, column = error.column;
      if (error.location) {
        return { problems: [shown + ":" + line + ":" + column + ": " + fieldName(error.location) +
          ": " + error.message] };
      }
      return { problems: [shown + ":" + line + ":" + column +
        ": (file): not JSON, so not " + noun + ": " + error.message] };
    }
    const found = check(parsed.value, data, ballot);
    if (found.length) {
      // Sorted and without repeats, as Python's RubricError lists them.
      const problems = found.map(([location, message, key]) => {
        const [line, column] = location.length
          ? markOf(parsed.valueMarks, parsed.keyMarks, location, key) : [1, 1];
        return [line, column, location.length ? fieldName(location) : "(file)", message];
      }).sort(compareProblems);
      const lines = problems.map(([line, column, field, message]) =>
        shown + ":" + line + ":" + column + ": " + field + ": " + message);
      return { problems: lines.filter((text, index) => lines.indexOf(text) === index) };
    }
    return { value: parsed.value };
  }

  // --- the record (fileformat.py) --------------------------------------------------------------

  function emptyEntry() {
    return { rating: null, criteria: [], notes: "", action: null, carried_criteria: [],
      consensus: null, not_rated: false };
  }

  /** The checked file as the page holds it: format 2, ticks placed or carried. */
  function upgrade(value, data) {
    const known = practicesOf(data);
    const version = value.get("format_version");
    const from = value.get("toolkit").get("content_version");
    // format 1: numbers placed through the content version the file names (format_1_ids)
    const then = version === 1 && own(data.format_1, from) ? data.format_1[from] : {};
    const get = (map, key, fallback) => (map && map.has(key) ? map.get(key) : fallback);

    function entry(id, item) {
      const ids = criterionIds(known.get(id));
      const ticks = [], carried = get(item, "carried_criteria", []).slice();
      get(item, "criteria", []).forEach((tick) => {
        if (version === 2 && (ids.indexOf(tick) >= 0 || !known.has(id))) ticks.push(tick);
        else if (version === 1 && own(then, id) && tick > 0 && tick <= then[id].length &&
            then[id][tick - 1]) ticks.push(then[id][tick - 1]);
        else carried.push(version === 2 ? tick : tick + "@" + from);
      });
      const action = get(item, "action", null);
      const result = emptyEntry();
      result.rating = item.get("rating");
      result.not_rated = get(item, "not_rated", false) === true && result.rating === null;
      result.criteria = ticks;
      result.notes = get(item, "notes", "");
      result.carried_criteria = carried.filter((tick, index) => carried.indexOf(tick) === index);
      if (action) {
        result.action = Object.create(null);
        ACTION_FIELDS.forEach((name) => { result.action[name] = get(action, name, ""); });
      }
      const record = get(item, "consensus", null);
      if (record) {
        result.consensus = {
          rounds: get(record, "rounds", []).map((counts) => new Map(counts)),
          needs_evidence: get(record, "needs_evidence", false),
          prefilled: get(record, "prefilled", false),
        };
        CONSENSUS_TEXTS.forEach((name) => { result.consensus[name] = get(record, name, ""); });
      }
      return result;
    }

    const header = Object.create(null);
    HEADER_FIELDS.forEach((name) => { header[name] = get(value.get("header"), name, ""); });
    const practices = new Map(), carried = new Map();
    value.get("practices").forEach((item, id) => practices.set(id, entry(id, item)));
    get(value, "carried", new Map()).forEach((item, id) => {
      const made = entry(id, item);
      if (known.has(id) && !practices.has(id)) practices.set(id, made); // back in this version
      else if (!known.has(id)) carried.set(id, made);
    });
    const result = {
      toolkit_title: value.get("toolkit").get("title"),
      content_version: from,
      format_version: version,
      header: header,
      practices: practices,
      carried: carried,
      next_assessment: get(value, "next_assessment", ""),
      qualitative: null,
      composition: null,
    };
    if (value.has("qualitative")) {
      const q = value.get("qualitative");
      const answers = new Map();
      get(q, "answers", new Map()).forEach((list, id) => {
        answers.set(id, list.map((item) => ({
          respondent: get(item, "respondent", ""),
          text: get(item, "text", ""),
          noted: get(item, "noted", ""),
          action: item.has("action") ? actionOf(item.get("action")) : null,
        })));
      });
      result.qualitative = { mode: q.get("mode"), respondents: get(q, "respondents", []).slice(),
        answers: answers };
    }
    if (value.has("composition")) {
      const c = value.get("composition");
      result.composition = {
        members: get(c, "members", []).map((item) => {
          const member = Object.create(null);
          MEMBER_FIELDS.forEach((name) => { member[name] = get(item, name, ""); });
          return member;
        }),
        groups: get(c, "groups", []).map((item) => ({
          characteristic: get(item, "characteristic", ""), group: get(item, "group", ""),
          count: get(item, "count", SMALLEST_GROUP) })),
      };
    }
    return result;

    function actionOf(action) {
      const made = Object.create(null);
      ACTION_FIELDS.forEach((name) => { made[name] = get(action, name, ""); });
      return made;
    }
  }

  /** The qualitative section as fileformat._qualitative_json writes it. */
  function qualitativeJson(qualitative, data) {
    const order = data.questions.map((question) => question.id);
    const ids = order.filter((id) => qualitative.answers.has(id))
      .concat(Array.from(qualitative.answers.keys()).filter((id) => order.indexOf(id) < 0));
    const answers = {};
    ids.forEach((id) => {
      const list = qualitative.answers.get(id);
      if (!list.length) return;
      answers[id] = list.map((answer) => {
        const item = { respondent: answer.respondent, text: answer.text, noted: answer.noted };
        if (answer.action) {
          item.action = {};
          ACTION_FIELDS.forEach((name) => { item.action[name] = answer.action[name]; });
        }
        return item;
      });
    });
    return { mode: qualitative.mode, respondents: qualitative.respondents.slice(), answers: answers };
  }

  /** One line for the results: "5 members: 2 senior leader, 3 manager" (Composition.summary). */
  function compositionSummary(composition) {
    const roles = new Map();
    composition.members.forEach((member) => {
      const role = member.role.trim() || "role not given";
      roles.set(role, (roles.get(role) || 0) + 1);
    });
    const listed = Array.from(roles, ([role, count]) => count + " " + role).join(", ");
    const size = composition.members.length;
    return size + " member" + (size === 1 ? "" : "s") + (listed ? ": " + listed : "");
  }

  /** Ids of entries `data`'s toolkit does not have (kept, never scored). */
  function unknown(assessment, data) {
    const known = practicesOf(data);
    return Array.from(assessment.practices.keys()).concat(Array.from(assessment.carried.keys()))
      .filter((id) => !known.has(id));
  }

  /** What to say when a file opens: another content version, an upgrade, ticks not placed. */
  function notices(assessment, data) {
    const result = [];
    const versionOf = assessment.format_version === 1 ? data.content_version_1
      : data.toolkit.content_version;
    if (assessment.content_version !== versionOf) {
      result.push("It was saved with another version of this toolkit's best practices (" +
        assessment.content_version + "; this is " + data.toolkit.content_version + ").");
    }
    if (assessment.format_version === 1) {
      result.push("It is in format 1 (criteria by number); it will be saved in format 2 " +
        "(criteria by id).");
    }
    const lost = unknown(assessment, data);
    if (lost.length) {
      result.push("Kept, not scored (not in this version): " + lost.join(", ") + ".");
    }
    const unplaced = [];
    assessment.practices.forEach((entry, id) => {
      if (entry.carried_criteria.length && !lost.includes(id)) {
        unplaced.push(id + ": " + entry.carried_criteria.join(", "));
      }
    });
    if (unplaced.length) {
      result.push("Ticks that could not be placed (kept in the file, not counted): " +
        unplaced.join("; ") + ".");
    }
    return result;
  }

  function entryJson(entry, practice, scale) {
    const order = criterionIds(practice);
    const ticked = order.filter((id) => entry.criteria.indexOf(id) >= 0)
      .concat(entry.criteria.filter((id) => order.indexOf(id) < 0));
    const result = { rating: entry.rating, criteria: ticked, notes: entry.notes };
    if (entry.action) {
      result.action = {};
      ACTION_FIELDS.forEach((name) => { result.action[name] = entry.action[name]; });
    }
    if (entry.carried_criteria.length) result.carried_criteria = entry.carried_criteria.slice();
    if (entry.consensus) result.consensus = consensusJson(entry.consensus, practice, scale);
    if (entry.not_rated && entry.rating === null) result.not_rated = true;
    return result;
  }

  /** Each round's counts in the scale's order then Not rated (a carried entry's as read). */
  function consensusJson(record, practice, scale) {
    const rounds = record.rounds.map((counts) => {
      const given = {};
      if (practice) scale.concat([NOT_RATED]).forEach((key) => { given[key] = counts.get(key) || 0; });
      else counts.forEach((count, key) => { given[key] = count; });
      return given;
    });
    const result = { rounds: rounds };
    CONSENSUS_TEXTS.forEach((name) => { result[name] = record[name]; });
    result.needs_evidence = record.needs_evidence;
    result.prefilled = record.prefilled;
    return result;
  }

  /** The next round from the last one (fileformat.next_round): the header without its date, no
   * ratings, ticks or notes, every action kept with its due date and status (empty becomes
   * not-started); entries this toolkit does not have kept as they were. */
  function nextRound(assessment, data) {
    const known = practicesOf(data);
    const header = Object.create(null);
    HEADER_FIELDS.forEach((name) => { header[name] = name === "date" ? "" : assessment.header[name]; });
    const practices = new Map();
    assessment.practices.forEach((entry, id) => {
      if (!known.has(id)) { practices.set(id, entry); return; }
      const fresh = emptyEntry();
      if (entry.action) {
        fresh.action = Object.create(null);
        ACTION_FIELDS.forEach((name) => { fresh.action[name] = entry.action[name]; });
        fresh.action.status = entry.action.status || "not-started";
      }
      practices.set(id, fresh);
    });
    return {
      toolkit_title: assessment.toolkit_title,
      content_version: assessment.content_version,
      format_version: assessment.format_version,
      header: header,
      practices: practices,
      carried: new Map(assessment.carried),
      next_assessment: "",
    };
  }

  /** The canonical file: the bytes fileformat.to_json writes for the same assessment. */
  function toJson(assessment, data) {
    const known = practicesOf(data);
    const practices = Object.create(null), carried = Object.create(null);
    const scale = data.scale.map((rating) => rating.id);
    known.forEach((practice, id) => {
      practices[id] = entryJson(assessment.practices.get(id) || emptyEntry(), practice, scale);
    });
    assessment.practices.forEach((entry, id) => { if (!known.has(id)) carried[id] = entryJson(entry, null); });
    assessment.carried.forEach((entry, id) => {
      if (!known.has(id)) carried[id] = entryJson(entry, null);
    });
    const header = {};
    HEADER_FIELDS.forEach((name) => { header[name] = assessment.header[name]; });
    const document = {
      format: FORMAT,
      format_version: FORMAT_VERSION,
      toolkit: { title: data.toolkit.title, content_version: data.toolkit.content_version },
      header: header,
      practices: practices,
      carried: carried,
      next_assessment: assessment.next_assessment,
    };
    if (assessment.qualitative) document.qualitative = qualitativeJson(assessment.qualitative, data);
    if (assessment.composition) {
      document.composition = {
        members: assessment.composition.members.map((member) => {
          const item = {};
          MEMBER_FIELDS.forEach((name) => { item[name] = member[name]; });
          return item;
        }),
        groups: assessment.composition.groups.map((group) => ({
          characteristic: group.characteristic, group: group.group, count: group.count })),
      };
    }
    return JSON.stringify(document, null, 2) + "\n";
  }

  // --- totals (totals.py) -------------------------------------------------------------------------

  function totals(data, assessment) {
    const scores = new Map(data.scale.map((rating) => [rating.id, rating.score]));
    const top = Math.max.apply(null, data.scale.map((rating) => rating.score));
    const zero = () => ({ points: 0, possible: 0, rated: 0, not_rated: 0 });
    const add = (a, b) => ({
      points: a.points + b.points, possible: a.possible + b.possible,
      rated: a.rated + b.rated, not_rated: a.not_rated + b.not_rated,
    });
    const result = { drivers: Object.create(null), categories: Object.create(null), overall: zero() };
    data.categories.forEach((category) => {
      let categoryTally = zero();
      category.drivers.forEach((driver) => {
        let driverTally = zero();
        driver.practices.forEach((practice) => {
          const entry = assessment.practices.get(practice.id);
          const rating = entry ? entry.rating : null;
          driverTally = add(driverTally, rating === null || !scores.has(rating)
            ? { points: 0, possible: 0, rated: 0, not_rated: 1 }
            : { points: scores.get(rating), possible: top, rated: 1, not_rated: 0 });
        });
        result.drivers[driver.id] = driverTally;
        categoryTally = add(categoryTally, driverTally);
      });
      result.categories[category.id] = categoryTally;
      result.overall = add(result.overall, categoryTally);
    });
    return result;
  }

  function percent(tally) {
    // Rounded half up, in whole numbers, as in Python: no floating-point surprises.
    return tally.possible
      ? Math.floor((200 * tally.points + tally.possible) / (2 * tally.possible)) : null;
  }

  /** The conditions the explanation sets and no criterion ticks, named for the team to check. */
  function alsoCheck(conditions) {
    const quoted = conditions.map((condition) => "\u201c" + condition + "\u201d");
    return quoted.length ? "Also check: " + quoted.join(", ") + "." : "";
  }

  /** The rating `ticked` criteria suggest for `practice` (an entry of the page's data), in the
   words of totals.py `suggestion`: "In place" never reads as settled while conditions no
   criterion covers remain to be confirmed. */
  function suggestion(data, practice, ticked) {
    const also = alsoCheck(practice.conditions);
    const criteria = practice.criteria;
    if (!criteria) return { rating: null, met: null, confirm: practice.conditions, text: also };
    const met = ticked.length >= criteria.required;
    const cases = data.suggestion;
    const rating = met ? cases.rule_met : ticked.length ? cases.some_ticked : cases.none_ticked;
    const label = data.scale.find((item) => item.id === rating).label;
    const of = criteria.examples
      ? " ticked (at least " + criteria.required + " needed)"
      : " of " + criteria.items.length + " ticked";
    let text = ticked.length + of + ": rule " + (met ? "met" : "not met") +
      ". Suggested rating: " + label;
    const confirm = met ? practice.conditions : [];
    if (confirm.length) text += ", but only once the team confirms what no criterion covers";
    return { rating: rating, met: met, confirm: confirm, text: (text + ". " + also).trim() };
  }

  // --- CSV --------------------------------------------------------------------------------------

  /** A cell no spreadsheet runs: a formula character at the start, or after any character a
   spreadsheet may split on (, ; tab | line break), gets an apostrophe before it. */
  function csvCell(value) {
    let text = String(value === null || value === undefined ? "" : value);
    text = text.replace(/(^|[,;\t|\r\n])([ ]*)([=+\-@])/g, "$1$2'$3");
    return /[",;\t|\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csv(rows) {
    return "\uFEFF" + rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  // --- typing ---------------------------------------------------------------------------------

  /** Text as the team types it, made what a file may hold: a vertical tab or form feed (Word
   pastes them) becomes a line break, other control characters go; one-line fields get spaces. */
  function normaliseText(text, oneLine) {
    let result = String(text).replace(/\r\n?/g, "\n").replace(/[\u000B\u000C\u0085\u2028\u2029]/g, "\n")
      .replace(/[\u0000-\u0008\u000E-\u001F\u007F]/g, ""); // eslint-disable-line no-control-regex
    if (oneLine) result = result.replace(/[\t\n]+/g, " ");
    return result;
  }

  return {
    FORMAT: FORMAT, FORMAT_VERSION: FORMAT_VERSION, MAX_BYTES: MAX_BYTES, LINE_LIMIT: LINE_LIMIT,
    STATUSES: STATUSES, nextRound: nextRound,
    TEXT_LIMIT: TEXT_LIMIT, HEADER_FIELDS: HEADER_FIELDS, ACTION_FIELDS: ACTION_FIELDS,
    ANOTHER: ANOTHER, LINE_FIELDS: LINE_FIELDS, MAX_DEPTH: MAX_DEPTH, NOT_RATED: NOT_RATED,
    BALLOT_FORMAT: BALLOT_FORMAT, BALLOT_VERSION: BALLOT_VERSION, NOTE_LIMIT: NOTE_LIMIT,
    MAX_ROUND: MAX_ROUND, MAX_ROUNDS: MAX_ROUNDS, CONSENSUS_TEXTS: CONSENSUS_TEXTS,
    readChecked: readChecked,
    parseJson: parseJson, check: check, readBytes: readBytes, readText: readText,
    upgrade: upgrade, unknown: unknown, notices: notices, toJson: toJson, emptyEntry: emptyEntry,
    criterionIds: criterionIds, practicesOf: practicesOf, totals: totals, percent: percent,
    suggestion: suggestion, alsoCheck: alsoCheck,
    csvCell: csvCell, csv: csv, normaliseText: normaliseText, isDate: isDate,
    controlCharacter: controlCharacter, MODES: MODES, NOTED: NOTED, MEMBER_FIELDS: MEMBER_FIELDS,
    GROUP_FIELDS: GROUP_FIELDS,     SMALLEST_GROUP: SMALLEST_GROUP, compositionSummary: compositionSummary,
  };
})();
