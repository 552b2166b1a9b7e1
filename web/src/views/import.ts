// Importing a file: choose a ready mapping and a file, check it (nothing written), then import
// the good records as reports waiting for review; every refused record is listed with its
// field, column and reason.
import { api, ApiError } from "../api";
import { h } from "../dom";
import { t } from "../i18n";

interface Refusal { record: string; local_id: string | null; field: string | null; column: string | null; reason: string }
interface Outcome {
  records: number; would_import: number; imported: number; dry_run: boolean; resumed_from: number;
  refused: Refusal[]; duplicates: Refusal[]; notes: string[]; skipped: number;
}

function refusalTable(id: string, rows: Refusal[]): HTMLElement {
  return h("table", { id, class: "list" },
    h("thead", {}, h("tr", {}, ...["record", "local_id", "field", "column", "reason"].map((c) => h("th", {}, t(`import.col.${c}` as "import.col.record"))))),
    h("tbody", {}, ...rows.map((r) => h("tr", {},
      h("td", {}, r.record), h("td", {}, r.local_id ?? ""), h("td", {}, r.field ?? ""),
      h("td", {}, r.column ?? ""), h("td", {}, r.reason)))));
}

export async function renderImport(root: HTMLElement): Promise<void> {
  const mappings = await api<{ name: string; description: string }[]>("/api/import/mappings");
  const mapping = h("select", { id: "mapping", name: "mapping" },
    ...mappings.map((m) => h("option", { value: m.name, title: m.description }, `${m.name} — ${m.description}`)));
  const file = h("input", { type: "file", id: "import-file", accept: ".geojson,.json,.gpkg,.zip,.kml,.kmz,.csv,.xlsx" });
  const repair = h("input", { type: "checkbox", id: "repair" });
  const result = h("section", { id: "import-result" });
  const send = async (dryRun: boolean) => {
    const chosen = file.files?.[0];
    result.replaceChildren();
    if (!chosen) {
      result.append(h("p", { class: "error" }, t("import.nofile")));
      return;
    }
    const q = new URLSearchParams({ filename: chosen.name, mapping: mapping.value, dry_run: String(dryRun), repair: String(repair.checked) });
    result.append(h("p", {}, t("import.working")));
    try {
      const o = await api<Outcome>(`/api/import?${q}`, {
        method: "POST", body: await chosen.arrayBuffer(), headers: { "content-type": "application/octet-stream" },
      });
      result.replaceChildren(
        h("p", { class: o.refused.length ? "form-message" : "form-message ok", id: "import-summary" },
          dryRun
            ? t("import.checked", { records: o.records, ok: o.would_import, refused: o.refused.length, duplicates: o.duplicates.length })
            : t("import.done", { records: o.records, ok: o.imported, refused: o.refused.length, duplicates: o.duplicates.length })),
        o.refused.length ? h("h2", {}, t("import.refused")) : "",
        o.refused.length ? refusalTable("refused", o.refused) : "",
        o.duplicates.length ? h("h2", {}, t("import.duplicates")) : "",
        o.duplicates.length ? refusalTable("duplicates", o.duplicates) : "",
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
      h("div", { class: "field check" }, repair, h("label", { for: "repair" }, t("import.repair")))),
    h("p", {},
      h("button", { id: "import-check", type: "button", onclick: () => void send(true) }, t("import.check")), " ",
      h("button", { id: "import-run", type: "button", onclick: () => void send(false) }, t("import.run"))),
    result,
  );
}
