/* Entry module of the pages with plain forms (staff pages, the phone's join pages): live
 * character counters under limited text fields. */

import { attachCounters } from "./counter.js";

attachCounters();
