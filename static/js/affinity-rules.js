/* The affinity board's rules, pure (no DOM): how a keyword is matched (as the server's
 * diagnostic/synthesis/board.py does), where the arrow keys lead, and what a drop means.
 * static/js/affinity-board.js applies them to the page. */

/** `text` lower-cased, without accents and with single spaces (the server's fold()). */
export function fold(text) {
  return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .toLowerCase().split(/\s+/).filter(Boolean).join(" ");
}

/** The words of a keyword query, folded. */
export function queryWords(query) {
  return fold(query).split(" ").filter(Boolean);
}

/**
 * Whether a card is shown: `card` is {search (folded text), workshops: [ids as strings]};
 * `words` from queryWords(); `workshop` an id as a string, "" for every workshop.
 */
export function cardMatches(card, words, workshop) {
  if (workshop && !card.workshops.includes(String(workshop))) return false;
  return words.every((word) => card.search.includes(word));
}

/**
 * Where an arrow key leads on a board whose columns hold `sizes[c]` cards. A position is
 * {col, row}; row -1 is the column's title, a target only while a card is carried
 * (`carrying`): then every column can be reached, otherwise only those with cards.
 * Returns the new position, or the same one when the key leads nowhere.
 */
export function nextPosition(sizes, position, key, carrying = false) {
  const { col, row } = position;
  const top = carrying ? -1 : 0;
  const last = (c) => Math.max(sizes[c] - 1, top);
  const reachable = (c) => carrying || sizes[c] > 0;
  if (key === "ArrowDown") return { col, row: Math.min(row + 1, last(col)) };
  if (key === "ArrowUp") return { col, row: Math.max(row - 1, top) };
  if (key === "Home") return { col, row: top };
  if (key === "End") return { col, row: last(col) };
  if (key === "ArrowRight" || key === "ArrowLeft") {
    const step = key === "ArrowRight" ? 1 : -1;
    for (let c = col + step; c >= 0 && c < sizes.length; c += step) {
      if (reachable(c)) return { col: c, row: Math.min(row, last(c)) };
    }
  }
  return { col, row };
}

/**
 * What dropping the card `source` ({id, stake}) on `target` does: {action: "group",
 * target: id} on another card, {action: "move", stake} on another column (stake "" is
 * "no stake"), null on itself or its own column.
 */
export function dropAction(source, target) {
  if (!target) return null;
  if (target.type === "card") {
    return String(target.id) === String(source.id) ? null
      : { action: "group", target: String(target.id) };
  }
  if (target.type === "column") {
    return String(target.stake) === String(source.stake) ? null
      : { action: "move", stake: String(target.stake) };
  }
  return null;
}

/** A message with its {name} placeholders filled from `values` (the server translates
 * "%(name)s" into "{name}" for the script). */
export function format(message, values = {}) {
  return String(message).replace(/\{(\w+)\}/g, (whole, name) =>
    (name in values ? String(values[name]) : whole));
}
