// The training and certification register (#/training) and the public certificate check
// (#/verify/{code}, no login). Training officers and administrators see people, sessions and
// certificates; only a training officer may show names (each read recorded in the audit log);
// every role sees the participation figures, which count people and never name them.
import { ApiError, api, type Me } from "../api";
import { h } from "../dom";
import { date, t, vocabLabel } from "../i18n";
import { label, loadVocab } from "../vocab";

interface Person { person_id: string; organisation: string; sex: string; age_band: string; team: string | null; personal?: { name: string } }
interface Session { id: number; competency: string; organisation: string; place: string; start_date: string; end_date: string; participants: string[] }
interface Certificate { code: string; person_id: string; competency: string; issued_on: string; expires_on: string; state: string; status_reason: string | null }
interface Figure { organisation: string; competency: string; sex: string; age_band: string; year: number; participants: number; certificates: number }
interface Course { code: string; label: string }

function table(id: string, head: string[], rows: HTMLElement[]): HTMLElement {
  return h("table", { class: "records", id },
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...rows));
}

/** An age band code ("25_34", "under_25", "55_plus") in figures ("25–34", "< 25", "55+"). */
function ageBand(code: string): string {
  if (code.startsWith("under_")) return `< ${code.slice(6)}`;
  if (code.endsWith("_plus")) return `${code.slice(0, -5)}+`;
  return code.replace("_", "–");
}

/** The state of a certificate in words, and whether it expires within 60 days. */
function stateCell(c: Certificate): HTMLElement {
  const days = (new Date(c.expires_on).getTime() - Date.now()) / 86_400_000;
  const soon = c.state === "valid" && days <= 60;
  // Highlighted: anything but valid in red, valid but expiring soon in amber (inline: the
  // stylesheet is shared).
  const colour = c.state !== "valid" ? "color:#b71c1c;font-weight:600" : soon ? "color:#8a5300;font-weight:600" : "";
  return h("td", { class: `cert-${c.state}${soon ? " cert-soon" : ""}`, "data-state": c.state, style: colour },
    t(`training.state.${c.state}` as "training.state.valid"),
    soon ? ` (${t("training.expires_soon")})` : "",
    c.status_reason ? ` — ${c.status_reason}` : "");
}

function personForm(changed: () => void): HTMLElement {
  const field = (name: string, label: string, attrs: Record<string, string | number> = {}) => {
    const input = h("input", { name, id: `person-${name}`, ...attrs });
    return { input, el: h("label", { class: "field" }, label, input, h("span", { class: "field-error", "data-error-for": name })) };
  };
  const id = field("person_id", t("training.col.person"));
  const org = field("organisation", t("training.col.organisation"));
  const sex = h("select", { name: "sex", id: "person-sex" },
    ...["female", "male", "unknown"].map((s) => h("option", { value: s }, label("sex", s))));
  const year = field("birth_year", t("training.col.birth_year"), { type: "number" });
  const team = field("team", t("training.col.team"));
  const name = field("name", t("training.col.name"));
  const message = h("p", { class: "form-message error", role: "alert" });
  const form = h("form", { id: "training-person-form" },
    h("h3", {}, t("training.add_person")),
    id.el, org.el, h("label", { class: "field" }, t("training.col.sex"), sex), year.el, team.el, name.el,
    h("button", { type: "submit", id: "training-person-add" }, t("training.add")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
    try {
      await api("/api/training/people", { method: "POST", body: JSON.stringify({
        person_id: id.input.value, organisation: org.input.value, sex: sex.value,
        birth_year: Number(year.input.value), team: team.input.value || null, name: name.input.value,
      }) });
      changed();
    } catch (err) {
      if (!(err instanceof ApiError)) { message.textContent = String(err); return; }
      message.textContent = err.problem.detail;
      for (const f of err.problem.errors ?? []) {
        const slot = form.querySelector<HTMLElement>(`[data-error-for="${f.field}"]`);
        if (slot) slot.textContent = f.message;
      }
    }
  });
  return form;
}

export async function renderTraining(root: HTMLElement, user: Me, showNames = false): Promise<void> {
  const officer = user.role === "training_officer";
  const reads = officer || user.role === "administrator";
  const [courses, figures] = await Promise.all([
    api<Course[]>("/api/training/courses"),
    api<Figure[]>("/api/training/figures"),
    loadVocab(),
  ]);
  const course = (code: string) => vocabLabel("competency", code, courses.find((c) => c.code === code)?.label ?? code);
  root.append(h("h1", {}, t("training.title")));
  if (reads) {
    const [people, sessions, certificates] = await Promise.all([
      api<Person[]>(`/api/training/people${showNames ? "?personal=true" : ""}`),
      api<Session[]>("/api/training/sessions"),
      api<Certificate[]>("/api/training/certificates"),
    ]);
    const rerender = (names: boolean) => { root.replaceChildren(); void renderTraining(root, user, names); };
    root.append(h("section", { id: "training-people" },
      h("h2", {}, `${t("training.people")} (${people.length})`),
      officer && !showNames ? h("button", { id: "training-show-names", onclick: () => rerender(true) }, t("training.show_names")) : null,
      table("training-people-table",
        [t("training.col.person"), ...(showNames ? [t("training.col.name")] : []), t("training.col.organisation"),
          t("training.col.sex"), t("training.col.age"), t("training.col.team")],
        people.map((p) => h("tr", {}, h("td", {}, p.person_id),
          ...(showNames ? [h("td", { class: "personal" }, p.personal?.name ?? "")] : []),
          h("td", {}, p.organisation), h("td", {}, label("sex", p.sex)), h("td", {}, ageBand(p.age_band)), h("td", {}, p.team ?? "")))),
      officer ? personForm(() => rerender(showNames)) : null));
    root.append(h("section", { id: "training-sessions" },
      h("h2", {}, `${t("training.sessions")} (${sessions.length})`),
      table("training-sessions-table",
        [t("training.col.competency"), t("training.col.organisation"), t("training.col.place"), t("training.col.dates"), t("training.col.participants")],
        sessions.map((s) => h("tr", {}, h("td", {}, course(s.competency)), h("td", {}, s.organisation), h("td", {}, s.place),
          h("td", {}, `${date(s.start_date)} – ${date(s.end_date)}`), h("td", { class: "num" }, String(s.participants.length)))))));
    root.append(h("section", { id: "training-certificates" },
      h("h2", {}, `${t("training.certificates")} (${certificates.length})`),
      table("training-certificates-table",
        [t("training.col.code"), t("training.col.person"), t("training.col.competency"), t("training.col.issued"), t("training.col.expires"), t("training.col.state")],
        certificates.map((c) => h("tr", { "data-code": c.code },
          h("td", {}, h("a", { href: `#/verify/${c.code}` }, c.code)), h("td", {}, c.person_id), h("td", {}, course(c.competency)),
          h("td", {}, date(c.issued_on)), h("td", {}, date(c.expires_on)), stateCell(c))))));
  } else {
    root.append(h("p", { id: "training-figures-only" }, t("training.figures_only")));
  }
  root.append(h("section", { id: "training-figures" },
    h("h2", {}, t("training.figures")),
    h("p", {}, h("a", { href: "/api/training/figures?format=csv", id: "training-csv", download: "training-figures.csv" }, t("training.csv"))),
    table("training-figures-table",
      [t("training.col.organisation"), t("training.col.competency"), t("training.col.sex"), t("training.col.age"),
        t("training.col.year"), t("training.col.participants"), t("training.col.certificates")],
      figures.map((f) => h("tr", {}, h("td", {}, f.organisation), h("td", {}, course(f.competency)), h("td", {}, label("sex", f.sex)),
        h("td", {}, ageBand(f.age_band)), h("td", { class: "num" }, String(f.year)), h("td", { class: "num" }, String(f.participants)),
        h("td", { class: "num" }, String(f.certificates)))))));
}

/** The public check of a certificate code: validity only, no login. */
export async function renderVerify(root: HTMLElement, code: string): Promise<void> {
  root.append(h("h1", {}, t("verify.title")), h("p", {}, h("code", {}, code)));
  try {
    const c = await api<{ competency: string; competency_label: string; status: string; valid_until: string; organisation: string | null }>(
      `/api/certificates/${encodeURIComponent(code)}`);
    root.append(h("dl", { id: "verify-result", class: `cert-${c.status}`, "data-state": c.status },
      h("dt", {}, t("training.col.competency")), h("dd", {}, vocabLabel("competency", c.competency, c.competency_label)),
      h("dt", {}, t("training.col.state")), h("dd", { id: "verify-state" }, t(`training.state.${c.status}` as "training.state.valid")),
      h("dt", {}, t("verify.valid_until")), h("dd", {}, date(c.valid_until)),
      c.organisation ? h("dt", {}, t("training.col.organisation")) : null, c.organisation ? h("dd", {}, c.organisation) : null));
  } catch (e) {
    if (e instanceof ApiError && e.problem.status === 404) {
      root.append(h("p", { id: "verify-unknown", class: "error", role: "alert" }, t("verify.unknown")));
    } else {
      throw e;
    }
  }
}
