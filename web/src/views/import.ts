// Importing a file: choose a ready mapping and a file, check it (nothing written), then import
// the good records as reports waiting for review; every record not written is listed with its
// reason: refused (field, column), held as a suspected twin (with the item it resembles, written
// once the user says so), or already in the programme.
import { api, ApiError } from "../api";
import { h } from "../dom";
import { t } from "../i18n";

interface Refusal { record: string; local_id: string | null; field: string | null; column: string | null; reason: string }
interface Twin extends Refusal { twin_of: string }
interface Outcome {
  records: number; would_import: number; imported: number; dry_run: boolean; resumed_from: number;
  refused: Refusal[]; twins: Twin[]; already_present: Refusal[]; notes: string[]; skipped: number;
}

/** A table of records not written; suspected twins get a column naming the item they resemble. */
function refusalTable(id: string, rows: (Refusal & { twin_of?: string })[], twins = false): HTMLElement {
  const columns = twins ? ["record", "local_id", "twin_of", "reason"] : ["record", "local_id", "field", "column", "reason"];
  return h("table", { id, class: "list" },
    h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", {}, t(`import.col.${c}` as "import.col.record"))))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...(twins
      ? [r.record, r.local_id ?? "", r.twin_of ?? "", r.reason]
      : [r.record, r.local_id ?? "", r.field ?? "", r.column ?? "", r.reason]).map((c) => h("td", {}, c))))));
}

export async function renderImport(root: HTMLElement): Promise<void> {
  const mappings = await api<{ name: string; description: string }[]>("/api/import/mappings");
  const mapping = h("select", { id: "mapping", name: "mapping" },
    ...mappings.map((m) => h("option", { value: m.name, title: m.description }, `${m.name} — ${m.description}`)));
  const file = h("input", { type: "file", id: "import-file", accept: ".geojson,.json,.gpkg,.zip,.kml,.kmz,.csv,.xlsx" });
  const repair = h("input", { type: "checkbox", id: "repair" });
  const maxChange = h("input", { type: "number", id: "repair-max-area-change", min: "0", step: "0.1", value: "1" });
  const twins = h("input", { type: "checkbox", id: "import-twins" });
  const outside = h("input", { type: "checkbox", id: "accept-outside" });
  const result = h("section", { id: "import-result" });
  const send = async (dryRun: boolean) => {
    const chosen = file.files?.[0];
    result.replaceChildren();
    if (!chosen) {
      result.append(h("p", { class: "error" }, t("import.nofile")));
      return;
    }
    const q = new URLSearchParams({
      filename: chosen.name, mapping: mapping.value, dry_run: String(dryRun), repair: String(repair.checked),
      repair_max_area_change: maxChange.value || "1", import_twins: String(twins.checked),
      accept_outside_programme_area: String(outside.checked),
    });
    result.append(h("p", {}, t("import.working")));
    try {
      const o = await api<Outcome>(`/api/import?${q}`, {
        method: "POST", body: await chosen.arrayBuffer(), headers: { "content-type": "application/octet-stream" },
      });
      const counts = { records: o.records, refused: o.refused.length, twins: o.twins.length, present: o.already_present.length };
      result.replaceChildren(
        h("p", { class: o.refused.length || o.twins.length ? "form-message" : "form-message ok", id: "import-summary" },
          dryRun
            ? t("import.checked", { ...counts, ok: o.would_import })
            : t("import.done", { ...counts, ok: o.imported })),
        o.refused.length ? h("h2", {}, t("import.refused")) : "",
        o.refused.length ? refusalTable("refused", o.refused) : "",
        o.twins.length ? h("h2", {}, t("import.twins")) : "",
        o.twins.length ? h("p", {}, t("import.twins.how")) : "",
        o.twins.length ? refusalTable("twins", o.twins, true) : "",
        o.already_present.length ? h("h2", {}, t("import.present")) : "",
        o.already_present.length ? refusalTable("already-present", o.already_present) : "",
        o.notes.length ? h("ul", { class: "notes" }, ...o.notes.map((n) => h("li", {}, n))) : "",
        !dryRun && o.imported ? h("p", {}, h("a", { href: "#/review" }, t("import.toreview"))) : "",
      );
    } catch (e) {
      const detail = e instanceof ApiError ? e.problem.detail ?? e.problem.title : String(e);
      result.replaceChildren(h("p", { class: "error", id: "import-error" }, detail));
    }
  };
  root.append(
    h("h1", {}, t("import.title")),
    h("p", {}, t("import.intro")),
    h("div", { class: "form-grid" },
      h("div", { class: "field" }, h("label", { for: "mapping" }, t("import.mapping")), mapping),
      h("div", { class: "field" }, h("label", { for: "import-file" }, t("import.file")), file),
      h("div", { class: "field check" }, repair, h("label", { for: "repair" }, t("import.repair"))),
      h("div", { class: "field" }, h("label", { for: "repair-max-area-change" }, t("import.maxchange")), maxChange),
      h("div", { class: "field check" }, twins, h("label", { for: "import-twins" }, t("import.twins.write"))),
      h("div", { class: "field check" }, outside, h("label", { for: "accept-outside" }, t("import.outside")))),
    h("p", {},
      h("button", { id: "import-check", type: "button", onclick: () => void send(true) }, t("import.check")), " ",
      h("button", { id: "import-run", type: "button", onclick: () => void send(false) }, t("import.run"))),
    result,
  );
}
