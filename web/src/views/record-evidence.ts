// The drone and machine evidence of one record: on an activity's page its machine tracks (with
// the coverage the server computed) and orthophotos; on a hazard's page the orthophotos that cover
// it. Each orthophoto opens on the programme map, shown and zoomed to.
import { api } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import { type Orthophoto, type TrackSummary, m2, orthophotos } from "./evidence";
import { table } from "./planning";
import { coverage } from "./tracks";

/** The programme map with the orthophoto `id` shown and zoomed to. */
export const orthoMapHref = (id: Orthophoto["id"]) => `#/map?orthophoto=${encodeURIComponent(String(id))}`;

function orthoList(images: Orthophoto[]): HTMLElement {
  return h("ul", { class: "record-orthophotos" }, ...images.map((o) => h("li", { "data-orthophoto": String(o.id) },
    h("a", { href: orthoMapHref(o.id) }, o.name),
    ` · ${t("ortho.resolution", { cm: num(o.resolution_m * 100, 1) })}`,
    o.captured_on ? ` · ${t("ortho.captured", { date: date(o.captured_on) })}` : "")));
}

/** The section for the record `itemId` with local id `localId`: an activity's tracks and
 *  orthophotos, or the orthophotos covering a hazard (named by either id). Readers who may not
 *  see evidence get none. */
export async function recordEvidence(kind: "activity" | "hazard", itemId: string, localId: string): Promise<HTMLElement> {
  const [images, tracks] = await Promise.all([
    orthophotos().catch(() => [] as Orthophoto[]),
    kind === "activity"
      ? api<TrackSummary[]>(`/api/tracks?activity=${encodeURIComponent(localId)}`).catch(() => [] as TrackSummary[])
      : Promise.resolve([] as TrackSummary[]),
  ]);
  const names = (ref: string | null) => ref !== null && (ref === localId || ref === itemId);
  const mine = images.filter((o) => (kind === "activity" ? names(o.activity) : o.hazards.some(names)));
  const rows = tracks.map((s) => h("tr", { "data-track": String(s.id) },
    h("td", {}, h("a", { href: `#/tracks/${encodeURIComponent(String(s.id))}` }, s.machine)),
    h("td", {}, [date(s.started_at), date(s.ended_at)].filter(Boolean).join(" – ") || "—"),
    h("td", { class: "num" }, m2(s.processed_m2)),
    h("td", { class: "num" }, coverage(s.coverage_pct))));
  return h("section", { id: "record-evidence", "aria-labelledby": "record-evidence-title" },
    h("h2", { id: "record-evidence-title" }, t("evidence.title")),
    !mine.length && !tracks.length ? h("p", {}, t("evidence.none")) : null,
    tracks.length
      ? h("div", {}, h("h3", {}, t("tracks.title")),
          table("record-tracks", [t("tracks.machine"), t("tracks.col.period"), t("tracks.processed"), t("tracks.coverage")], rows, [2, 3]),
          h("p", { class: "note" }, t("tracks.not_cleared")))
      : null,
    mine.length ? h("div", {}, h("h3", {}, t("ortho.title")), orthoList(mine)) : null);
}
