// Operations planning (#/planning, issue 26): the tasking page. A schedule with a row per team
// and a bar per task between its planned start and end, coloured by status (each bar a link
// with the task in words); the tasks as a table with what actually happened; each team's
// capacity. Planners also get the "New task" form, the buttons of each task's next statuses and
// a field that links a reported activity. The other planning pages share the tabs and helpers.
import { ApiError, api, type Me } from "../api";
import { h } from "../dom";
import { LOCALES, date, lang, num, t } from "../i18n";
import type { MessageKey } from "../locales/en";
import { label, loadVocab } from "../vocab";

interface Team {
  team: string; name: string; organisation: string; team_type: string;
  assets: { asset_type: string; identifier: string }[]; asset_type: string | null;
  capacity_m2_per_day: number | null; releases_land: boolean;
}
interface Task {
  task_id: string; team: string; organisation: string; hazards: string[]; hazard_local_ids: string[];
  method: string; assets: string[]; planned_start: string; planned_end: string; status: string;
  activities: string[]; comment: string | null; next: string[];
  actual: { start: string | null; end: string | null; released_m2: number; days: number; days_late: number | null };
}

/** Task statuses in their order, with the schedule's colour of each (white text reads on all). */
const STATUS_COLOURS: Record<string, string> = {
  planned: "#455a64", issued: "#1565c0", in_progress: "#2e7d32", suspended: "#8a4b00", completed: "#6a1b9a",
};

/** The methods a task may use (activity types). */
const METHODS = ["nts", "ts", "clearance", "bac", "road_clearance"];

/** Whether the user may plan (`may.plan` of /api/me). */
export function mayPlan(user: Me): boolean {
  return user.may.plan === true;
}

/** The planning pages' tabs, `active` the current one's hash. */
export function planningTabs(active: string): HTMLElement {
  const tabs: [string, MessageKey][] = [
    ["#/planning", "plan.tab.tasking"], ["#/planning/ranking", "plan.tab.ranking"],
    ["#/planning/forecast", "plan.tab.forecast"], ["#/planning/risk", "plan.tab.risk"],
  ];
  return h("nav", { class: "tabs", id: "planning-tabs", "aria-label": t("plan.tabs") },
    ...tabs.map(([href, key]) => h("a", { href, class: href === active ? "active" : undefined,
      "aria-current": href === active ? "page" : undefined }, t(key))));
}

/** Shows a problem: its detail in `message`, each field error at the form's slot for the field
 * (`hazards[2]` at the slot of `hazards`). */
function showProblem(form: HTMLElement, message: HTMLElement, err: unknown): void {
  form.querySelectorAll<HTMLElement>("[data-error-for]").forEach((s) => (s.textContent = ""));
  if (!(err instanceof ApiError)) { message.textContent = String(err); return; }
  message.textContent = err.problem.detail;
  for (const f of err.problem.errors ?? []) {
    const slot = form.querySelector<HTMLElement>(`[data-error-for="${f.field.replace(/\[\d+\]$/, "")}"]`);
    if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${f.message}` : f.message;
  }
}

/** A table with column headings. */
export function table(id: string, head: string[], rows: HTMLElement[], numeric: number[] = []): HTMLTableElement {
  return h("table", { class: "records", id },
    h("thead", {}, h("tr", {}, ...head.map((c, i) => h("th", { scope: "col", class: numeric.includes(i) ? "num" : undefined }, c)))),
    h("tbody", {}, ...rows));
}

const statusName = (s: string) => t(`plan.status.${s}` as MessageKey);

/** Days since 1970 of a YYYY-MM-DD date. */
const day = (iso: string) => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000;

/** The first days of the months from `from`'s to `to`'s, and the first day after. */
function months(from: string, to: string): string[] {
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const out: string[] = [];
  for (;;) {
    const first = `${y}-${String(m).padStart(2, "0")}-01`;
    out.push(first);
    if (first > to) return out;
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
}

/** A month's short name in the locale (with the year in January and in the first month). */
function monthLabel(first: string, withYear: boolean): string {
  const d = new Date(`${first}T00:00:00Z`);
  const tag = LOCALES[lang()].intl;
  const ok = Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  return new Intl.DateTimeFormat(ok ? tag : "en-GB", { month: "short", year: withYear ? "numeric" : undefined, timeZone: "UTC" }).format(d);
}

/** The first day of the month `back` months before `iso`'s. */
function monthsBefore(iso: string, back: number): string {
  const n = Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1 - back;
  return `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}-01`;
}

/** The schedule: a row per team and its tasks as bars over the months they span; tasks that
 * ended before the last three months only when asked for. */
function schedule(teams: Team[], tasks: Task[]): HTMLElement {
  const today = new Date().toISOString().slice(0, 10);
  const cutoff = monthsBefore(today, 3);
  const earlier = tasks.filter((x) => x.planned_end < cutoff);
  const box = h("div", {});
  const show = h("input", { type: "checkbox", id: "plan-show-earlier" });
  show.addEventListener("change", () => box.replaceChildren(gantt(teams, show.checked ? tasks : tasks.filter((x) => x.planned_end >= cutoff), today)));
  box.append(gantt(teams, tasks.filter((x) => x.planned_end >= cutoff), today));
  return h("section", { id: "plan-schedule", "aria-labelledby": "plan-schedule-title" },
    h("h2", { id: "plan-schedule-title" }, t("plan.schedule")),
    earlier.length ? h("label", { class: "field check" }, show, t("plan.show_earlier", { n: earlier.length, date: date(cutoff) })) : null,
    box);
}

/** The bars of `tasks` in a row per team, over the months from today's or the first task's. */
function gantt(teams: Team[], tasks: Task[], today: string): HTMLElement {
  const from = tasks.reduce((a, x) => (x.planned_start < a ? x.planned_start : a), today);
  const until = tasks.reduce((a, x) => (x.planned_end > a ? x.planned_end : a), today);
  const firsts = months(from, until);
  const start = day(firsts[0]);
  const span = day(firsts[firsts.length - 1]) - start;
  const pct = (iso: string) => ((day(iso) - start) / span) * 100;
  // About a dozen labels at most: every month, or every 2nd, 3rd, 6th or 12th.
  const every = [1, 2, 3, 6, 12].find((n) => (firsts.length - 1) / n <= 12) ?? 12;
  const labelled = firsts.slice(0, -1).filter((_, i) => i % every === 0);
  const axis = h("div", { class: "plan-axis", "aria-hidden": "true" },
    ...labelled.map((f, i) => h("span", {
      style: `left:${pct(f)}%;width:${pct(labelled[i + 1] ?? firsts[firsts.length - 1]) - pct(f)}%`,
    }, monthLabel(f, i === 0 || f.slice(5, 7) === "01" || every === 12))));
  const rows = teams.map((team) => {
    // Overlapping tasks (a suspended one and its replacement) each get a lane of their own.
    const own = tasks.filter((x) => x.team === team.team).sort((a, b) => a.planned_start.localeCompare(b.planned_start));
    const lanes: string[] = [];
    const lane = new Map(own.map((x) => {
      let i = lanes.findIndex((end) => end < x.planned_start);
      if (i < 0) i = lanes.push(x.planned_end) - 1;
      else lanes[i] = x.planned_end;
      return [x.task_id, i];
    }));
    const capacity = team.capacity_m2_per_day === null
      ? t("plan.no_data")
      : t("plan.capacity_value", { m2: num(team.capacity_m2_per_day), asset: label("asset_type", team.asset_type ?? "") });
    return h("li", { class: "plan-row", "data-team": team.team },
      h("div", { class: "plan-team" }, h("strong", {}, team.name || team.team), " ",
        h("small", {}, `${team.team} · ${team.organisation}`), h("br", {}),
        h("small", { class: "plan-capacity" }, `${t("plan.capacity")}: ${capacity}`)),
      h("div", { class: "plan-track", style: `height:${Math.max(1, lanes.length) * 1.6 + 0.2}rem` },
        h("span", { class: "plan-today", style: `left:${pct(today)}%`, "aria-hidden": "true" }), ...own.map((x) => {
        const left = Math.max(0, pct(x.planned_start));
        const width = Math.max(0.8, pct(x.planned_end) + (100 / span) - left);
        const words = t("plan.bar", { task: x.task_id, status: statusName(x.status),
          from: date(x.planned_start), to: date(x.planned_end), hazards: x.hazard_local_ids.join(", ") });
        return h("a", { class: "plan-bar", href: `#/planning`, "data-task": x.task_id, "data-status": x.status,
          "aria-label": words, title: words, style: `top:${(lane.get(x.task_id) ?? 0) * 1.6 + 0.2}rem;left:${left}%;width:${Math.min(width, 100 - left)}%;background:${STATUS_COLOURS[x.status] ?? "#455a64"}`,
          onclick: (e: Event) => {
            e.preventDefault();
            const row = document.querySelector<HTMLElement>(`#plan-tasks tr[data-task="${x.task_id}"]`);
            row?.scrollIntoView({ block: "center" });
            row?.querySelector<HTMLElement>("td")?.focus();
          } }, x.task_id);
      })));
  });
  const legend = h("ul", { class: "review-legend", id: "plan-status-legend", "aria-label": t("map.legend") },
    ...Object.entries(STATUS_COLOURS).map(([s, c]) => h("li", {}, h("span", { class: "swatch", style: `background:${c}` }), statusName(s))),
    h("li", {}, h("span", { class: "swatch plan-today-swatch" }), t("plan.today", { date: date(today) })));
  return h("div", {}, legend,
    h("div", { class: "plan-gantt" }, h("div", { class: "plan-row plan-head" }, h("div", { class: "plan-team" }), axis),
      h("ul", { class: "plan-rows" }, ...rows)));
}

/** The actions on a task for a planner: its next statuses, and the link of an activity. */
function taskActions(task: Task, changed: (notice: string) => void, message: HTMLElement): HTMLElement {
  const post = async (path: string, body: unknown, done: string) => {
    try {
      await api(`/api/planning/tasks/${encodeURIComponent(task.task_id)}/${path}`, { method: "POST", body: JSON.stringify(body) });
      changed(done);
    } catch (err) {
      message.textContent = err instanceof ApiError
        ? `${task.task_id}: ${[err.problem.detail, ...(err.problem.errors ?? []).map((e) => e.message)].join(" ")}`
        : String(err);
    }
  };
  const activity = h("input", { name: "activity", id: `plan-activity-${task.task_id}`, size: 10,
    "aria-label": t("plan.link_activity_for", { task: task.task_id }) });
  return h("div", { class: "plan-actions" },
    ...task.next.map((s) => h("button", { type: "button", class: "plan-next", "data-status": s,
      onclick: () => post("status", { status: s }, t("plan.moved_to", { task: task.task_id, status: statusName(s) })) },
      `→ ${statusName(s)}`)),
    h("form", { class: "plan-link", onsubmit: (e: Event) => {
      e.preventDefault();
      if (activity.value.trim()) void post("activities", { activity: activity.value.trim() }, t("plan.linked", { task: task.task_id }));
    } }, activity, h("button", { type: "submit" }, t("plan.link_activity"))));
}

/** The tasks as a table. */
function taskTable(teams: Team[], tasks: Task[], planner: boolean, changed: (notice: string) => void): HTMLElement {
  const message = h("p", { class: "form-message error", id: "plan-tasks-message", role: "alert" });
  const teamName = (id: string) => teams.find((x) => x.team === id)?.name ?? id;
  const head = [t("plan.col.task"), t("plan.col.team"), t("plan.col.hazards"), t("plan.col.method"), t("plan.col.planned_start"),
    t("plan.col.planned_end"), t("plan.col.status"), t("plan.col.actual_start"), t("plan.col.actual_end"),
    t("plan.col.released"), t("plan.col.days_late"), ...(planner ? [t("plan.col.actions")] : [])];
  const rows = tasks.map((x) => h("tr", { "data-task": x.task_id, "data-status": x.status },
    h("td", { tabindex: -1 }, x.task_id), h("td", {}, teamName(x.team)), h("td", {}, x.hazard_local_ids.join(", ")),
    h("td", {}, label("activity_type", x.method)), h("td", {}, date(x.planned_start)), h("td", {}, date(x.planned_end)),
    h("td", { class: "plan-status" }, statusName(x.status)), h("td", {}, date(x.actual.start)), h("td", {}, date(x.actual.end)),
    h("td", { class: "num" }, num(x.actual.released_m2)),
    h("td", { class: "num" }, x.actual.days_late === null ? "" : num(x.actual.days_late)),
    planner ? h("td", {}, taskActions(x, changed, message)) : null));
  return h("section", { id: "plan-tasks-section", "aria-labelledby": "plan-tasks-title" },
    h("h2", { id: "plan-tasks-title" }, `${t("plan.tasks")} (${tasks.length})`), message,
    tasks.length ? table("plan-tasks", head, rows, [9, 10]) : h("p", { id: "plan-no-tasks" }, t("plan.no_tasks")));
}

/** The "New task" form of a planner. */
function taskForm(teams: Team[], changed: (notice: string) => void): HTMLElement {
  const slot = (name: string) => h("span", { class: "field-error", "data-error-for": name });
  const team = h("select", { name: "team", id: "plan-team" },
    ...teams.map((x) => h("option", { value: x.team }, `${x.name || x.team} (${x.team})`)));
  const hazards = h("input", { name: "hazards", id: "plan-hazards", placeholder: "KH-0001, KH-0002" });
  const method = h("select", { name: "method", id: "plan-method" },
    ...METHODS.map((m) => h("option", { value: m }, label("activity_type", m))));
  const assets = h("div", { class: "plan-assets", id: "plan-assets" });
  const showAssets = () => {
    const chosen = teams.find((x) => x.team === team.value);
    assets.replaceChildren(...(chosen?.assets ?? []).map((a, i) => h("label", { class: "field check" },
      h("input", { type: "checkbox", name: "assets", value: a.asset_type, id: `plan-asset-${i}`, checked: true }),
      `${label("asset_type", a.asset_type)} · ${a.identifier}`)));
    if (!assets.childElementCount) assets.append(h("span", {}, t("plan.no_assets")));
  };
  team.addEventListener("change", showAssets);
  showAssets();
  const start = h("input", { type: "date", name: "planned_start", id: "plan-start", required: true });
  const end = h("input", { type: "date", name: "planned_end", id: "plan-end", required: true });
  const comment = h("textarea", { name: "comment", id: "plan-comment", rows: 2 });
  const message = h("p", { class: "form-message error", id: "plan-form-message", role: "alert" });
  const field = (text: string, control: HTMLElement, name: string) => h("label", { class: "field" }, text, control, slot(name));
  const form = h("form", { id: "plan-task-form", class: "report-form" },
    h("h2", {}, t("plan.new_task")),
    h("div", { class: "form-grid" },
      field(t("plan.col.team"), team, "team"),
      field(t("plan.hazards_input"), hazards, "hazards"),
      field(t("plan.col.method"), method, "method"),
      field(t("plan.col.planned_start"), start, "planned_start"),
      field(t("plan.col.planned_end"), end, "planned_end")),
    h("fieldset", {}, h("legend", {}, t("plan.assets")), assets, slot("assets")),
    field(t("plan.comment"), comment, "comment"),
    slot("task_id"),
    h("button", { type: "submit", id: "plan-create" }, t("plan.create")), message);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const created = await api<Task>("/api/planning/tasks", { method: "POST", body: JSON.stringify({
        team: team.value,
        hazards: hazards.value.split(",").map((s) => s.trim()).filter(Boolean),
        method: method.value,
        assets: [...assets.querySelectorAll<HTMLInputElement>("input:checked")].map((c) => c.value),
        planned_start: start.value, planned_end: end.value, comment: comment.value.trim() || null,
      }) });
      changed(t("plan.created", { task: created.task_id }));
    } catch (err) {
      showProblem(form, message, err);
    }
  });
  return form;
}

/** The tasking page; `notice` what the last action did. */
export async function renderPlanning(root: HTMLElement, user: Me, notice = ""): Promise<void> {
  const [{ teams }, { tasks }] = await Promise.all([
    api<{ teams: Team[] }>("/api/planning/teams"),
    api<{ tasks: Task[] }>("/api/planning/tasks"),
    loadVocab(),
  ]);
  const planner = mayPlan(user);
  const changed = (done: string) => { root.replaceChildren(); void renderPlanning(root, user, done); };
  root.append(h("h1", {}, t("plan.title")), planningTabs("#/planning"),
    h("p", { class: "form-message ok", id: "plan-notice", role: "status" }, notice),
    schedule(teams, tasks),
    taskTable(teams, tasks, planner, changed),
    ...(planner ? [taskForm(teams, changed)] : []));
}
