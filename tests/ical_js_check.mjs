// Parse an iCalendar file with ical.js (the parser inside Thunderbird, from its npm
// package) and print what it sees as JSON, for the Python tests to compare.
//
//   node tests/ical_js_check.mjs FILE.ics WINDOW_START WINDOW_END
//
// WINDOW_START/END are ISO dates or date-times ("2025-12-31T23:00:00Z"), end exclusive.
// Output:
//   {"errors": [...], "calname": "...", "events": N, "occurrences": [
//      {"uid", "seriesUid", "summary", "status", "allDay", "start", "end", "recurrenceId"}]}
// Times are UTC ISO strings ("2026-03-02T08:00:00Z"); all-day values are dates.
// Every VEVENT must parse, every TZID must have a VTIMEZONE ical.js can use, and
// every series must iterate; anything else is reported in "errors" (exit code 1).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, windowStart, windowEnd] = process.argv.slice(2);
const errors = [];
const result = { errors, calname: null, events: 0, occurrences: [] };
const MAX_OCCURRENCES = 10000;

function out(code) {
  process.stdout.write(JSON.stringify(result));
  process.exit(code);
}

function iso(time) {
  if (time.isDate) {
    return time.toString(); // YYYY-MM-DD
  }
  if (time.zone === ICAL.Timezone.localTimezone && time.timezone === undefined) {
    errors.push(`floating time ${time.toString()}`);
  }
  return time.toJSDate().toISOString().replace(".000Z", "Z");
}

let vcalendar;
try {
  const text = readFileSync(file, "utf8");
  vcalendar = new ICAL.Component(ICAL.parse(text));
} catch (err) {
  errors.push(`parse: ${err.message}`);
  out(1);
}

result.calname = vcalendar.getFirstPropertyValue("x-wr-calname");
for (const vtimezone of vcalendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}

// The window as instants; all-day values count from UTC midnight, as ical.js sees them.
const startUnix = Date.parse(windowStart) / 1000;
const endUnix = Date.parse(windowEnd) / 1000;
if (Number.isNaN(startUnix) || Number.isNaN(endUnix)) {
  errors.push("bad window");
  out(2);
}
const vevents = vcalendar.getAllSubcomponents("vevent");
result.events = vevents.length;

const overridesByUid = new Map();
for (const component of vevents) {
  if (component.hasProperty("recurrence-id")) {
    const uid = component.getFirstPropertyValue("uid");
    if (!overridesByUid.has(uid)) overridesByUid.set(uid, []);
    overridesByUid.get(uid).push(component);
  }
}

function checkTzids(component, uid) {
  for (const name of ["dtstart", "dtend", "recurrence-id", "exdate"]) {
    for (const prop of component.getAllProperties(name)) {
      const tzid = prop.getParameter("tzid");
      if (tzid && !ICAL.TimezoneService.has(tzid)) {
        errors.push(`${uid}: ${name} has TZID ${tzid} without a VTIMEZONE`);
      }
    }
  }
}

function emit(event, item, startDate, endDate, recurrenceId) {
  const s = startDate.toUnixTime();
  const e = endDate.toUnixTime();
  const overlaps = s < endUnix && (e > startUnix || (e === s && s >= startUnix));
  if (!overlaps) return;
  result.occurrences.push({
    uid: event.uid,
    seriesUid: item.component.getFirstPropertyValue("x-arshjul-series-uid") || event.uid,
    summary: item.summary,
    status: item.component.getFirstPropertyValue("status"),
    allDay: startDate.isDate,
    start: iso(startDate),
    end: iso(endDate),
    recurrenceId: recurrenceId ? iso(recurrenceId) : null,
  });
}

for (const component of vevents) {
  const uid = component.getFirstPropertyValue("uid");
  checkTzids(component, uid);
  if (component.hasProperty("recurrence-id")) continue;
  try {
    const event = new ICAL.Event(component, {
      strictExceptions: true,
      exceptions: overridesByUid.get(uid) || [],
    });
    if (!event.startDate) {
      errors.push(`${uid}: no DTSTART`);
      continue;
    }
    if (event.endDate.compare(event.startDate) < 0) {
      errors.push(`${uid}: DTEND before DTSTART`);
    }
    if (!event.isRecurring()) {
      emit(event, event, event.startDate, event.endDate, null);
      continue;
    }
    const iterator = event.iterator();
    let count = 0;
    for (let next = iterator.next(); next; next = iterator.next()) {
      if (++count > MAX_OCCURRENCES) {
        errors.push(`${uid}: more than ${MAX_OCCURRENCES} occurrences`);
        break;
      }
      const details = event.getOccurrenceDetails(next);
      emit(event, details.item, details.startDate, details.endDate, next);
    }
  } catch (err) {
    errors.push(`${uid}: ${err.message}`);
  }
}

// Overrides whose UID has no master are errors for every client.
for (const uid of overridesByUid.keys()) {
  const hasMaster = vevents.some(
    (c) => !c.hasProperty("recurrence-id") && c.getFirstPropertyValue("uid") === uid,
  );
  if (!hasMaster) errors.push(`${uid}: RECURRENCE-ID without a master event`);
}

out(errors.length ? 1 : 0);
