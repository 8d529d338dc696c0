// The benchmark's peer: a minimal Socket.IO server doing the live path's work per join and
// per contribution, so that bench/ can report the project's figures as ratios to it
// (docs/PERFORMANCE.md, "The Node peer"). Started by bench/peer_server.py, never in
// production.
//
//   POST /join   {name, code} (JSON or form)  → {token, participant_id, workshop_id}
//   POST /login  {password} (JSON or form)    → {token} for the board
//   /live        connect with auth {workshop_id, token}: joins room workshop:<id>, gets
//                workshop_state {seq, ...}
//   submit_contribution  the project's payload and ack: validate, insert (unique client id),
//                commit, ack, then emit contribution_added {..., seq} to the room.
//
// Configuration (environment): HOST, PORT, PEER_DATABASE (SQLite file, created),
// PEER_SECRET (HMAC key), PEER_WORKSHOP_ID, PEER_JOIN_CODE, PEER_STAFF_PASSWORD.

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { Server } from "socket.io";

const env = process.env;
const SECRET = env.PEER_SECRET || "peer-secret";
const WORKSHOP_ID = Number(env.PEER_WORKSHOP_ID || 1);
const JOIN_CODE = env.PEER_JOIN_CODE || "PEER01";
const STAFF_PASSWORD = env.PEER_STAFF_PASSWORD || "bench-password-123";
const NEED_CATEGORIES = [1, 2, 3];
const KINDS = new Set(["initiative", "need", "recommendation"]);
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_DESCRIPTION = 2000;
const MAX_PAYLOAD_BYTES = 16384;
const MAX_BODY_BYTES = 4096;

// -- The database: the project's SQLite settings (WAL, synchronous=NORMAL) ----------------

const db = new Database(env.PEER_DATABASE || "peer.db");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.pragma("busy_timeout = 10000");
db.exec(`
  CREATE TABLE IF NOT EXISTS workshops (
    id INTEGER PRIMARY KEY, join_code TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE IF NOT EXISTS need_categories (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS participants (
    id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    name TEXT NOT NULL, created_at TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS contributions (
    id INTEGER PRIMARY KEY, workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    client_id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, description TEXT NOT NULL,
    name TEXT, need_category_id INTEGER REFERENCES need_categories(id),
    created_at TEXT NOT NULL);
`);
db.prepare("INSERT OR IGNORE INTO workshops (id, join_code, status) VALUES (?, ?, 'open')")
  .run(WORKSHOP_ID, JOIN_CODE);
for (const id of NEED_CATEGORIES) {
  db.prepare("INSERT OR IGNORE INTO need_categories (id, label) VALUES (?, ?)")
    .run(id, `Besoin ${id}`);
}

const sql = {
  workshopByCode: db.prepare("SELECT id, status FROM workshops WHERE join_code = ?"),
  workshop: db.prepare("SELECT id, status, seq FROM workshops WHERE id = ?"),
  addParticipant: db.prepare(
    "INSERT INTO participants (workshop_id, name, created_at) VALUES (?, ?, ?)"),
  participant: db.prepare("SELECT id, name FROM participants WHERE id = ? AND workshop_id = ?"),
  category: db.prepare("SELECT label FROM need_categories WHERE id = ?"),
  nextSeq: db.prepare(
    "UPDATE workshops SET seq = seq + 1 WHERE id = ? AND status = 'open' RETURNING seq"),
  insert: db.prepare(`
    INSERT INTO contributions (workshop_id, participant_id, client_id, kind, description,
                               name, need_category_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING RETURNING id`),
  byClientId: db.prepare("SELECT id, participant_id FROM contributions WHERE client_id = ?"),
};

// -- Signed tokens (HMAC-SHA256 of a small JSON claim) --------------------------------------

function sign(claim) {
  const body = Buffer.from(JSON.stringify(claim)).toString("base64url");
  const mac = createHmac("sha256", SECRET).update(body).digest("base64url");
  return `${body}.${mac}`;
}

function verify(token) {
  if (typeof token !== "string") return null;
  const [body, mac] = token.split(".");
  if (!body || !mac) return null;
  const expected = createHmac("sha256", SECRET).update(body).digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    return JSON.parse(Buffer.from(body, "base64url").toString());
  } catch {
    return null;
  }
}

// -- HTTP: join and login ---------------------------------------------------------------------

function readBody(request) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new Error("body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      if ((request.headers["content-type"] || "").startsWith("application/json")) {
        resolve(JSON.parse(text || "{}"));
      } else {
        resolve(Object.fromEntries(new URLSearchParams(text)));
      }
    });
    request.on("error", reject);
  });
}

function reply(response, status, body) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

function join(form) {
  const name = typeof form.name === "string" ? form.name.trim() : "";
  if (!name || name.length > 120) return [400, { error: "name" }];
  const workshop = sql.workshopByCode.get(String(form.code || "").toUpperCase());
  if (!workshop || workshop.status !== "open") return [404, { error: "code" }];
  const { lastInsertRowid } = sql.addParticipant.run(workshop.id, name, new Date().toISOString());
  const id = Number(lastInsertRowid);
  return [200, { token: sign({ r: "participant", p: id, w: workshop.id }), participant_id: id,
                 workshop_id: workshop.id }];
}

function login(form) {
  const given = Buffer.from(String(form.password || ""));
  const expected = Buffer.from(STAFF_PASSWORD);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return [403, { error: "password" }];
  }
  return [200, { token: sign({ r: "staff" }) }];
}

const httpServer = createServer(async (request, response) => {
  const path = request.url.split("?")[0];
  if (request.method === "GET" && path === "/join") {  // the bench's readiness probe
    return reply(response, 200, { post: ["name", "code"] });
  }
  const route = { "/join": join, "/login": login }[path];
  if (request.method !== "POST" || !route) return reply(response, 404, { error: "not found" });
  try {
    const [status, body] = route(await readBody(request));
    reply(response, status, body);
  } catch (error) {
    reply(response, 400, { error: String(error.message || error) });
  }
});

// -- Socket.IO: /live -------------------------------------------------------------------------

const io = new Server(httpServer, { serveClient: false });
const live = io.of("/live");

live.use((socket, next) => {
  const auth = socket.handshake.auth || {};
  const claim = verify(auth.token);
  const workshopId = Number(auth.workshop_id);
  if (!claim || !Number.isInteger(workshopId)) return next(new Error("Jeton invalide."));
  const workshop = sql.workshop.get(workshopId);
  if (!workshop) return next(new Error("Atelier introuvable."));
  if (claim.r === "participant") {
    if (claim.w !== workshopId) return next(new Error("Rejoignez d'abord l'atelier."));
    const participant = sql.participant.get(claim.p, workshopId);
    if (!participant) return next(new Error("Rejoignez d'abord l'atelier."));
    socket.data.participant = participant;
  } else if (claim.r !== "staff" || auth.role !== "board") {
    return next(new Error("Connectez-vous."));
  }
  socket.data.workshop = workshop;
  next();
});

live.on("connection", (socket) => {
  const { workshop } = socket.data;
  socket.join(`workshop:${workshop.id}`);
  const current = sql.workshop.get(workshop.id);  // read after joining, as the project does
  socket.emit("workshop_state", {
    workshop: { id: current.id, status: current.status }, seq: current.seq, contributions: [],
  });
  socket.on("submit_contribution", (payload, ack) => {
    if (typeof ack !== "function") return;
    const participant = socket.data.participant;
    if (!participant) return ack(failure("Seul·es les participant·es peuvent contribuer."));
    let outcome;
    try {
      outcome = submit(workshop.id, participant, payload);
    } catch (error) {
      console.error("submit_contribution failed", error);
      return ack(failure("Erreur inattendue, réessayez.", {}, 5));
    }
    ack(outcome.ack);  // after the commit
    if (outcome.item) live.to(`workshop:${workshop.id}`).emit("contribution_added", outcome.item);
  });
});

function failure(error, fields = {}, retryAfter = undefined) {
  const ack = { ok: false, error, fields };
  if (retryAfter) ack.retry_after = retryAfter;
  return ack;
}

function text(value, max, required) {
  if (value === undefined || value === null) value = "";
  if (typeof value !== "string") return [null, "Texte invalide."];
  const cleaned = value.trim();
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(cleaned)) {
    return [null, "Caractères invalides."];
  }
  if (required && !cleaned) return [null, "Ce champ est obligatoire."];
  if (cleaned.length > max) return [null, "Ce texte est trop long."];
  return [cleaned || null, null];
}

// Validation in the spirit of diagnostic/validation.py (clean_contribution).
function clean(payload) {
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) {
    return [null, "Contribution illisible.", {}];
  }
  if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
    return [null, "Contribution trop volumineuse.", {}];
  }
  if (!KINDS.has(payload.kind)) {
    return [null, "Contribution invalide.", { kind: "Type de contribution inconnu." }];
  }
  const errors = {};
  const cleaned = { kind: payload.kind, name: null, need_category_id: null, category: null };
  if (typeof payload.client_id !== "string" || !CLIENT_ID.test(payload.client_id)) {
    errors.client_id = "Identifiant de contribution invalide.";
  } else {
    cleaned.client_id = payload.client_id;
  }
  const [description, descriptionError] = text(payload.description, MAX_DESCRIPTION, true);
  if (descriptionError) errors.description = descriptionError;
  cleaned.description = description;
  if (payload.kind === "initiative") {
    const [name, nameError] = text(payload.name, 200, true);
    if (nameError) errors.name = nameError;
    cleaned.name = name;
  }
  if (payload.kind === "need") {
    const id = payload.need_category_id;
    const row = Number.isInteger(id) ? sql.category.get(id) : undefined;
    if (id === undefined || id === null) errors.need_category_id = "Ce champ est obligatoire.";
    else if (!row) errors.need_category_id = "Choix invalide.";
    else [cleaned.need_category_id, cleaned.category] = [id, row.label];
  }
  if (Object.keys(errors).length) return [null, "Contribution invalide.", errors];
  return [cleaned, null, {}];
}

class Resend extends Error {}

// One transaction: the room's next seq (only while open) and the row (once per client id).
const store = db.transaction((workshopId, participant, cleaned, createdAt) => {
  const next = sql.nextSeq.get(workshopId);
  if (!next) throw new Resend("closed");
  const row = sql.insert.get(workshopId, participant.id, cleaned.client_id, cleaned.kind,
                             cleaned.description, cleaned.name, cleaned.need_category_id,
                             createdAt);
  if (!row) throw new Resend("stored");  // undo the seq: a resend is not announced again
  return { id: row.id, seq: next.seq };
});

function submit(workshopId, participant, payload) {
  const [cleaned, error, fields] = clean(payload);
  const resent = () => {
    const existing = typeof payload?.client_id === "string"
      ? sql.byClientId.get(payload.client_id) : undefined;
    if (!existing) return null;
    if (existing.participant_id !== participant.id) {
      return { ack: failure("Cet identifiant de contribution est déjà utilisé.") };
    }
    return { ack: { ok: true, id: existing.id, client_id: payload.client_id } };
  };
  if (!cleaned) return resent() || { ack: failure(error, fields) };
  const createdAt = new Date().toISOString();
  let stored;
  try {
    stored = store(workshopId, participant, cleaned, createdAt);
  } catch (caught) {
    if (!(caught instanceof Resend)) throw caught;
    return resent() || { ack: failure("L'atelier n'est pas ouvert.") };
  }
  return {
    ack: { ok: true, id: stored.id, client_id: cleaned.client_id },
    item: serialize(stored, workshopId, participant, cleaned, createdAt),
  };
}

// The keys of the project's <contribution> (docs/live-protocol.md), so messages are alike.
function serialize(stored, workshopId, participant, cleaned, createdAt) {
  return {
    id: stored.id, workshop_id: workshopId, kind: cleaned.kind, kind_label: cleaned.kind,
    author: participant.name, name: cleaned.name, description: cleaned.description,
    ess_family: null, activity_sector: null, commune: null, jobs_fte: null, stage: null,
    stage_label: null, website: null, actor_type: null, need_category: cleaned.category,
    urgency: null, urgency_label: null, stake: null, responsible_party: null, horizon: null,
    horizon_label: null, answered_need_ids: [], status: "published", supports: 0, dots: 0,
    scribe: null, on_behalf_of: null, merged_into_id: null, merged_sources: [],
    created_at: createdAt, seq: stored.seq,
  };
}

function shutdown() {
  io.close();
  db.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

const port = Number(env.PORT || 5050);
httpServer.listen(port, env.HOST || "127.0.0.1", () => {
  console.log(`peer listening on http://${env.HOST || "127.0.0.1"}:${port}`);
});
