// Machine and robot tracks (#/tracks): each uploaded GNSS track with the coverage the server
// computed on its activity's task area, and the upload form (file, activity, machine, kind,
// working width; the file is sent as the body) for those who write reports. Processed is not cleared (IMAS 09.50).
import { ApiError, api, type Me } from "../api";
import { h } from "../dom";
import { date, num, t } from "../i18n";
import { table } from "./planning";
import { type TrackSummary, type TrackUpload, activityHref, m2, postFile } from "./evidence";

/** The rule every coverage figure is read with. */
export function notClearedRule(): HTMLElement {
  return h("p", { class: "warning evidence-rule", id: "not-cleared", role: "note" }, t("tracks.not_cleared"));
}

/** A coverage percentage (the server's, 0–100). */
export const coverage = (v: number) => `${num(v, 1)} %`;

/** The upload form; `done` gets the server's answer. */
function uploadForm(done: (answer: TrackUpload) => void): HTMLElement {
  const slot = (name: string) => h("span", { class: "field-error", "data-error-for": name });
  const field = (text: string, control: HTMLElement, name: string) => h("label", { class: "field" }, text, control, slot(name));
  const file = h("input", { type: "file", name: "file", id: "track-file", required: true, accept: ".gpx,.nmea,.txt,.csv,.log" });
  const activity = h("input", { name: "activity", id: "track-activity", required: true, placeholder: "ACT-…" });
  const machine = h("input", { name: "machine", id: "track-machine", required: true });
  const kind = h("select", { name: "kind", id: "track-kind" },
    h("option", { value: "machine" }, t("tracks.kind.machine")), h("option", { value: "robot" }, t("tracks.kind.robot")));
  const width = h("input", { name: "working_width_m", id: "track-width", type: "number", min: 0.1, step: 0.01, required: true });
  const format = h("select", { name: "format", id: "track-format" },
    h("option", { value: "" }, t("tracks.format.auto")),
    ...["gpx", "nmea", "csv"].map((f) => h("option", { value: f }, f.toUpperCase())));
  const message = h("p", { class: "form-message error", id: "track-message", role: "alert" });
  const form = h("form", { id: "track-form", class: "report-form" },
    h("h2", {}, t("tracks.upload")),
    h("p", { class: "note" }, t("tracks.upload_note")),
    h("div", { class: "form-grid" },
      field(t("tracks.file"), file, "file"), field(t("tracks.activity"), activity, "activity"),
      field(t("tracks.machine"), machine, "machine"), field(t("tracks.kind"), kind, "kind"),
      field(t("tracks.width_m"), width, "working_width_m"), field(t("tracks.format"), format, "format")),
    h("button", { type: "submit", id: "track-submit" }, t("tracks.submit")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
    message.textContent = "";
    const chosen = file.files?.[0];
    const params = new URLSearchParams({ activity: activity.value.trim(), machine: machine.value.trim(), kind: kind.value });
    if (width.value) params.set("working_width_m", width.value);
    if (format.value) params.set("format", format.value);
    if (chosen) params.set("file_name", chosen.name);
    try {
      done(await postFile<TrackUpload>(`/api/tracks?${params}`, chosen ?? null));
    } catch (err) {
      if (!(err instanceof ApiError)) { message.textContent = String(err); return; }
      message.textContent = err.problem.detail;
      for (const f of err.problem.errors ?? []) {
        const s = form.querySelector<HTMLElement>(`[data-error-for="${f.field}"]`);
        if (s) s.textContent = s.textContent ? `${s.textContent} ${f.message}` : f.message;
        else message.textContent += ` ${f.message}`;
      }
    }
  });
  return form;
}

/** What an upload stored, and the records the reader could not use. */
function uploaded(answer: TrackUpload): HTMLElement {
  const s = answer.track;
  return h("div", { id: "track-uploaded", class: "form-message ok", role: "status" },
    h("span", {}, t("tracks.stored", { machine: s.machine, pct: coverage(s.coverage_pct) }), " "),
    h("a", { href: `#/tracks/${encodeURIComponent(String(s.id))}` }, t("tracks.open")),
    answer.unreadable.length
      ? h("details", { id: "track-unreadable" }, h("summary", {}, t("tracks.unreadable_n", { n: answer.unreadable.length })),
          h("ul", {}, ...answer.unreadable.slice(0, 200).map((u) => h("li", {}, `${u.record}: ${u.reason}`))))
      : null);
}

/** The tracks page; `answer` the upload just made. */
export async function renderTracks(root: HTMLElement, user: Me, answer: TrackUpload | null = null): Promise<void> {
  const tracks = await api<TrackSummary[]>("/api/tracks");
  const head = [t("tracks.col.track"), t("tracks.activity"), t("tracks.machine"), t("tracks.kind"), t("tracks.width"),
    t("tracks.task_area"), t("tracks.processed"), t("tracks.coverage"), t("tracks.gaps"), t("tracks.overlaps"),
    t("tracks.fixes_used"), t("tracks.col.period")];
  const rows = tracks.map((s) => h("tr", { "data-track": String(s.id) },
    h("td", {}, h("a", { href: `#/tracks/${encodeURIComponent(String(s.id))}` }, `${s.machine} · ${s.source_name}`)),
    h("td", {}, h("a", { href: activityHref(s.activity) }, s.activity)),
    h("td", {}, s.machine), h("td", {}, t(s.kind === "robot" ? "tracks.kind.robot" : "tracks.kind.machine")),
    h("td", { class: "num" }, `${num(s.working_width_m, 2)} m`),
    h("td", { class: "num" }, m2(s.task_m2)), h("td", { class: "num" }, m2(s.processed_m2)),
    h("td", { class: "num track-coverage" }, coverage(s.coverage_pct)),
    h("td", { class: "num" }, m2(s.gap_m2)), h("td", { class: "num" }, m2(s.overlap_m2)),
    h("td", { class: "num" }, `${num(s.fixes_used)} / ${num(s.fixes)}`),
    h("td", {}, [date(s.started_at), date(s.ended_at)].filter(Boolean).join(" – "))));
  root.append(
    h("h1", {}, t("tracks.title")),
    notClearedRule(),
    ...(answer ? [uploaded(answer)] : []),
    tracks.length ? table("tracks", head, rows, [4, 5, 6, 7, 8, 9, 10]) : h("p", { id: "tracks-empty" }, t("tracks.empty")),
    ...(user.may.write_reports ? [uploadForm((a) => { root.replaceChildren(); void renderTracks(root, user, a); })] : []),
  );
}
