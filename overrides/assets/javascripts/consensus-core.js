/* Consensus scoring without a page: reading a ballot file, and the one merge of votes into
   counts and flags. No DOM access; one namespace, ConsensusCore, beside ToolkitCore (which it
   reads files with). It keeps the contract of macros/assessment/consensus.py step for step and
   word for word: the ballot and merge cases of tests/cases/ run through both. Counts are
   shown as counts ("2: 3, 1: 4, 0: 1"), never as a mean. */
var ConsensusCore = (function () {
  "use strict";

  const EXTREMES = "extremes"; // the lowest and the highest rating were both voted
  const SPLIT = "split"; // the most common rating has less than the agreement share

  /** A ballot's bytes (a Uint8Array) read as consensus.py reads them: {ballot} or {problems}.
   What this toolkit cannot place (another content version) is listed in ballot.unplaced. */
  function readBallot(bytes, data, shown) {
    const read = ToolkitCore.readChecked(bytes, data, shown, "a ballot", true);
    return read.problems ? read : { ballot: ballotFrom(read.value, data) };
  }

  function ballotFrom(value, data) {
    const known = ToolkitCore.practicesOf(data);
    const votes = new Map(), unplaced = [];
    value.get("votes").forEach((item, id) => {
      if (!known.has(id)) { unplaced.push(id); return; }
      const ids = ToolkitCore.criterionIds(known.get(id));
      const ticks = item.has("criteria") ? item.get("criteria") : [];
      ticks.filter((tick) => ids.indexOf(tick) < 0).forEach((tick) => unplaced.push(id + ": " + tick));
      votes.set(id, {
        rating: item.get("rating"),
        criteria: ticks.filter((tick) => ids.indexOf(tick) >= 0),
        note: item.has("note") ? item.get("note") : "",
      });
    });
    return {
      content_version: value.get("toolkit").get("content_version"),
      alias: value.has("alias") ? value.get("alias") : "",
      round: value.has("round") ? value.get("round") : 1,
      votes: votes,
      unplaced: unplaced,
    };
  }

  /** Counts and flags per best practice (the toolkit's order) of one round's ballots: a Map.
   A ballot that gives no vote on a best practice counts as Not rated for it. */
  function merge(ballots, data, round) {
    const chosen = ballots.filter((ballot) => ballot.round === (round || 1));
    const result = new Map();
    ToolkitCore.practicesOf(data).forEach((practice, id) => {
      const counts = Object.create(null);
      data.scale.forEach((rating) => { counts[rating.id] = 0; });
      let notRated = 0;
      chosen.forEach((ballot) => {
        const vote = ballot.votes.get(id);
        if (vote && vote.rating !== null) counts[vote.rating] += 1;
        else notRated += 1;
      });
      result.set(id, item(counts, notRated, data));
    });
    return result;
  }

  /** Flags of one item's counts (consensus.py `item`): whole numbers only, so both agree. */
  function item(counts, notRated, data) {
    const scale = data.scale.map((rating) => rating.id);
    const clean = Object.create(null);
    scale.forEach((id) => { clean[id] = Object.prototype.hasOwnProperty.call(counts, id) ? counts[id] : 0; });
    const values = scale.map((id) => clean[id]);
    const given = values.reduce((a, b) => a + b, 0);
    const most = Math.max.apply(null, values);
    const flags = [];
    if (clean[scale[0]] && clean[scale[scale.length - 1]]) flags.push(EXTREMES);
    if (given && 100 * most < data.agreement * given) flags.push(SPLIT);
    return {
      counts: clean, not_rated: notRated, flags: flags,
      unanimous: given > 0 && notRated === 0 && most === given,
    };
  }

  /** "2: 3, 1: 4, 0: 1" (score: voters, the scale's order), then Not rated when any. */
  function countsText(counts, notRated, data) {
    const parts = data.scale.map((rating) => rating.score + ": " + (counts[rating.id] || 0));
    if (notRated) parts.push(data.not_rated + ": " + notRated);
    return parts.join(", ");
  }

  /** One round as the assessment file's consensus record keeps it. */
  function roundCounts(merged) {
    const counts = new Map(Object.keys(merged.counts).map((id) => [id, merged.counts[id]]));
    counts.set(ToolkitCore.NOT_RATED, merged.not_rated);
    return counts;
  }

  /** The ballot as consensus.py `ballot_to_json` writes it: same data, same bytes. */
  function ballotJson(ballot, data) {
    const votes = {};
    ToolkitCore.practicesOf(data).forEach((practice, id) => {
      const vote = ballot.votes.get(id) || { rating: null, criteria: [], note: "" };
      const ticks = ToolkitCore.criterionIds(practice).filter((tick) => vote.criteria.indexOf(tick) >= 0);
      votes[id] = { rating: vote.rating, criteria: ticks, note: vote.note };
    });
    return JSON.stringify({
      format: ToolkitCore.BALLOT_FORMAT, format_version: ToolkitCore.BALLOT_VERSION,
      toolkit: { title: data.toolkit.title, content_version: data.toolkit.content_version },
      alias: ballot.alias, round: ballot.round, votes: votes,
    }, null, 2) + "\n";
  }

  return {
    ballotJson: ballotJson, EXTREMES: EXTREMES, SPLIT: SPLIT, readBallot: readBallot, merge: merge, item: item,
    countsText: countsText, roundCounts: roundCounts,
  };
})();
