// The app shell: login, role-aware navigation, hash routes, language switch.
import "./style.css";
import { api, ApiError, logout, me, type Me } from "./api";
import { clear, h } from "./dom";
import { cachedMe, forgetMe, rememberMe } from "./field/offline";
import { startOffline } from "./field/update";
import { LOCALES, lang, minutesLeft, setLang, t } from "./i18n";
import { renderLogin } from "./views/login";

const app = document.getElementById("app")!;
let user: Me | null = null;
/** Whether the server's programme is a regional hub (its Region page is then linked). */
let hub = false;
/** Whether the server runs as a federation node (its Sharing page is then linked). */
let node = false;

/** Whether the user may see the node's sharing policy: the national authority's administrators and approvers. */
function seesSharing(): boolean {
  return node && !!user?.national && (user.role === "administrator" || user.role === "approver");
}

function nav(): HTMLElement {
  // `also`: another page reached from this entry (the reference pages from the catalogue's).
  const link = (href: string, label: string, also?: string) =>
    h("a", { href, class: location.hash.startsWith(href) || (also && location.hash.startsWith(also)) ? "active" : undefined }, label);
  const select = h(
    "select",
    { "aria-label": t("lang"), id: "lang", onchange: (e: Event) => { setLang((e.target as HTMLSelectElement).value); route(); } },
    ...Object.entries(LOCALES).map(([code, l]) => h("option", { value: code, selected: code === lang() }, l.name)),
  );
  return h(
    "header",
    {},
    h("strong", { class: "brand" }, t("app.name")),
    h("nav", { "aria-label": t("nav.main") },
      link("#/dashboard", t("nav.dashboard")),
      link("#/map", t("nav.map")),
      link("#/hazards", t("nav.hazards")),
      link("#/records", t("nav.records")),
      link("#/figures", t("nav.figures")),
      hub ? link("#/region", t("nav.region")) : null,
      link("#/catalogue", t("nav.catalogue"), "#/reference"),
      link("#/training", t("nav.training")),
      link("#/planning", t("nav.planning")),
      link("#/library", t("library.nav")),
      user?.may.write_reports ? link("#/report", t("nav.report")) : null,
      user?.may.write_reports ? link("#/field", t("field.nav")) : null,
      user?.may.write_reports ? link("#/import", t("nav.import")) : null,
      user?.may.review ? link("#/review", t("nav.review")) : null,
      user?.may.review ? link("#/triage", t("nav.triage")) : null,
      link("#/tracks", t("nav.tracks")),
      user?.may.break_glass || user?.break_glass || user?.break_glass_reviews !== undefined
        ? link("#/break-glass", user?.break_glass_reviews ? t("nav.break_glass_n", { n: user.break_glass_reviews }) : t("nav.break_glass"))
        : null,
      seesSharing() ? link("#/sharing", t("nav.sharing")) : null),
    h("span", { class: "spacer" }),
    select,
    h("span", { class: "who", title: `${user?.role} · ${user?.organisation}` }, user?.display_name ?? ""),
    h("button", { id: "logout", onclick: async () => {
      await logout();
      await forgetMe();
      // A fresh page: nothing of the session (requests in flight, map state) survives.
      history.replaceState(null, "", "/");
      location.reload();
    } }, t("nav.logout")),
    breakGlassBanner(),
  );
}

/** While an emergency access grant is open: a banner on every page with the time left. */
function breakGlassBanner(): HTMLElement | null {
  const grant = user?.break_glass;
  if (!grant) return null;
  const text = h("span", {});
  const banner = h("div", { id: "break-glass-banner", class: "break-glass-banner", role: "status" },
    text, " ", h("a", { href: "#/break-glass" }, t("bg.banner_link")));
  const update = () => {
    const left = minutesLeft(grant.until);
    text.textContent = left > 0 ? t("bg.banner", { minutes: left }) : t("bg.banner_ended");
    return left > 0;
  };
  update();
  const timer = setInterval(() => {
    if (!banner.isConnected || !update()) clearInterval(timer);
  }, 30000);
  return banner;
}

/** The roles that may do what `permission` names, as words ("reviewer, approver or administrator"). */
function rolesFor(permission: "write_reports" | "review"): string {
  const roles = permission === "review"
    ? ["reviewer", "approver", "administrator"]
    : ["data_entry", "reviewer", "approver", "administrator", "victim_assistance"];
  const words = roles.map((r) => t(`role.${r}` as "role.viewer"));
  return `${words.slice(0, -1).join(", ")} ${t("role.or")} ${words[words.length - 1]}`;
}

/** The current user's role in words. */
function roleName(role: string): string {
  const key = `role.${role}` as "role.viewer";
  return key in LOCALES.en.messages ? t(key) : role;
}

/** A page the user's role does not open: which role it needs and which the user has. */
function forbidden(main: HTMLElement, permission: "write_reports" | "review"): void {
  main.append(h("p", { class: "error", id: "not-allowed", role: "alert" },
    t("error.forbidden", { need: rolesFor(permission), role: roleName(user?.role ?? "") })));
}

/** Counts routings: a page still loading when the user moved on must not show its errors. */
let routed = 0;

/** Renders the page for the current hash; a lapsed session returns to the login form. */
async function route(): Promise<void> {
  const mine = ++routed;
  try {
    await render();
  } catch (e) {
    if (mine !== routed) return;
    if (e instanceof ApiError && e.problem.status === 401) {
      const lapsed = user !== null;
      user = null;
      clear(app);
      renderLogin(app, () => void route(), lapsed ? t("error.signed_out") : undefined);
      return;
    }
    const detail = String((e as Error)?.message ?? e);
    const text = e instanceof ApiError && e.problem.status === 403
      ? t("error.forbidden_api", { role: roleName(user?.role ?? ""), detail })
      : t("error.generic", { detail });
    (app.querySelector("main") ?? app).append(h("p", { class: "error", id: "not-allowed", role: "alert" }, text));
  }
}

/** A model from the hash (as typed when it is not valid percent-encoding). */
function decodeModel(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

async function render(): Promise<void> {
  document.documentElement.lang = lang();
  if (!user) {
    try {
      user = await me();
      void rememberMe(user);
      ({ hub, node } = await api<{ hub: boolean; node: boolean }>("/api/config"));
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.problem.status !== 401) throw e;
      } else {
        // No connection: the user last signed in on this device, so the field forms still
        // open; an expired session shows only when the outbox is sent.
        user ??= await cachedMe();
        if (!user) throw e;
      }
    }
  }
  clear(app);
  const verify = (location.hash || "").match(/^#\/verify\/([A-Za-z0-9 -]+)$/);
  if (verify && !user) {
    // The public certificate check: no login.
    const { renderVerify } = await import("./views/training");
    const main = h("main", {});
    app.append(main);
    await renderVerify(main, decodeURIComponent(verify[1]));
    return;
  }
  if (!user) {
    renderLogin(app, () => { user = null; route(); });
    return;
  }
  const main = h("main", {});
  app.append(nav(), main);
  const hash = location.hash || "#/map";
  const path = hash.split("?")[0];
  const hazard = path.match(/^#\/hazards\/([A-Za-z0-9-]+)$/);
  const victim = path.match(/^#\/victims\/([A-Za-z0-9-]+)$/);
  const item = path.match(/^#\/items\/([A-Za-z0-9-]+)$/);
  const records = path.match(/^#\/records(?:\/([a-z_]+))?$/);
  const review = path.match(/^#\/review(?:\/(\d+))?$/);
  const libraryDoc = path.match(/^#\/library\/(\d+)$/);
  const referencePage = path.match(/^#\/reference\/(.+)$/);
  const track = path.match(/^#\/tracks\/([A-Za-z0-9_.-]+)$/);
  if (hazard) {
    const { renderHazard } = await import("./views/hazard");
    await renderHazard(main, hazard[1], user);
  } else if (victim) {
    const { renderVictim } = await import("./views/victim");
    await renderVictim(main, victim[1], user);
  } else if (item) {
    const { renderItem } = await import("./views/item");
    await renderItem(main, item[1]);
  } else if (path === "#/hazards") {
    const { renderHazards } = await import("./views/hazards");
    await renderHazards(main);
  } else if (records) {
    const { renderRecords } = await import("./views/records");
    await renderRecords(main, records[1] ?? "activity", user.may.personal_data);
  } else if (path === "#/figures") {
    const { renderFigures } = await import("./views/figures");
    await renderFigures(main);
  } else if (path === "#/region/map" && hub) {
    const { renderRegionMap } = await import("./views/region-map");
    await renderRegionMap(main);
  } else if (path === "#/region" && hub) {
    const { renderRegion } = await import("./views/region");
    await renderRegion(main);
  } else if (path === "#/sharing" && node) {
    const { renderSharing } = await import("./views/sharing");
    await renderSharing(main, user);
  } else if (path === "#/reference") {
    const { renderReferencePages } = await import("./views/reference-pages");
    await renderReferencePages(main);
  } else if (referencePage) {
    const { renderReferencePage } = await import("./views/reference-page");
    await renderReferencePage(main, decodeModel(referencePage[1]));
  } else if (path === "#/catalogue") {
    const { renderCatalogue } = await import("./views/catalogue");
    await renderCatalogue(main);
  } else if (path === "#/dashboard") {
    const { renderDashboard } = await import("./views/dashboard");
    await renderDashboard(main, user.may.personal_data);
  } else if (path.startsWith("#/report") && user.may.write_reports) {
    const kind = path.split("/")[2] ?? "land";
    main.append(h("nav", { class: "tabs", id: "form-kinds" }, ...["land", "eo", "accident", "re", "qa", "va"].map((k) =>
      h("a", { href: k === "land" ? "#/report" : `#/report/${k}`, class: k === kind ? "active" : undefined }, t(`form.kind.${k}` as "form.kind.eo")))));
    if (kind === "land") {
      const { renderReport } = await import("./views/report");
      await renderReport(main);
    } else {
      const { renderForm } = await import("./views/forms");
      await renderForm(main, kind);
    }
  } else if (path.startsWith("#/field") && user.may.write_reports) {
    await renderFieldRoute(main, path, user);
  } else if (path === "#/import" && user.may.write_reports) {
    const { renderImport } = await import("./views/import");
    await renderImport(main);
  } else if (path === "#/library") {
    const { renderLibrary } = await import("./views/library");
    await renderLibrary(main, new URLSearchParams(hash.split("?")[1] ?? ""));
  } else if (libraryDoc) {
    const { renderLibraryDocument } = await import("./views/library-document");
    await renderLibraryDocument(main, libraryDoc[1]);
  } else if (path === "#/training") {
    const { renderTraining } = await import("./views/training");
    await renderTraining(main, user);
  } else if (path === "#/planning") {
    const { renderPlanning } = await import("./views/planning");
    await renderPlanning(main, user);
  } else if (path === "#/planning/ranking") {
    const { renderRanking } = await import("./views/planning-ranking");
    await renderRanking(main, user);
  } else if (path === "#/planning/forecast") {
    const { renderForecast } = await import("./views/planning-forecast");
    await renderForecast(main);
  } else if (path === "#/planning/risk") {
    const { renderRisk } = await import("./views/planning-risk");
    await renderRisk(main);
  } else if (verify) {
    const { renderVerify } = await import("./views/training");
    await renderVerify(main, decodeURIComponent(verify[1]));
  } else if (path === "#/break-glass") {
    const { renderBreakGlass } = await import("./views/break-glass");
    await renderBreakGlass(main, user, () => { user = null; void route(); });
  } else if (review && user.may.review) {
    const views = await import("./views/review");
    await (review[1] ? views.renderReview(main, review[1], user) : views.renderReviewQueue(main));
  } else if (path === "#/triage" && (user.may.review || user.may.write_reports)) {
    const { renderTriage } = await import("./views/triage");
    await renderTriage(main, user, new URLSearchParams(hash.split("?")[1] ?? "").get("model") ?? "");
  } else if (path === "#/tracks") {
    const { renderTracks } = await import("./views/tracks");
    await renderTracks(main, user);
  } else if (track) {
    const { renderTrack } = await import("./views/tracks-coverage");
    await renderTrack(main, track[1]);
  } else if (path === "#/triage") {
    forbidden(main, "write_reports");
  } else if (path.startsWith("#/report") || path.startsWith("#/field") || path === "#/import") {
    forbidden(main, "write_reports");
  } else if (review) {
    forbidden(main, "review");
  } else {
    const { renderMap } = await import("./views/map");
    await renderMap(main);
  }
}

/** The field section: its start page, a form (`#/field/form/<kind>`), the outbox, the map. */
async function renderFieldRoute(main: HTMLElement, path: string, me: Me): Promise<void> {
  const form = path.match(/^#\/field\/form\/([a-z]+)$/);
  if (form && form[1] === "land") {
    const { renderFieldLand } = await import("./views/field-land");
    await renderFieldLand(main, me);
  } else if (form) {
    const { renderFieldForm } = await import("./views/field-form");
    const { SPECS } = await import("./views/forms");
    if (form[1] in SPECS) await renderFieldForm(main, form[1], me);
    else location.hash = "#/field";
  } else if (path === "#/field/outbox") {
    const { renderFieldOutbox } = await import("./views/field-outbox");
    await renderFieldOutbox(main, me);
  } else if (path === "#/field/map") {
    const { renderFieldMap } = await import("./views/field-map");
    await renderFieldMap(main, me);
  } else {
    const { renderField } = await import("./views/field");
    await renderField(main, me);
  }
}

window.addEventListener("hashchange", () => void route());
startOffline();
// Tables scroll sideways inside themselves on small screens: each can be reached, and
// scrolled, with the keyboard.
new MutationObserver(() => {
  for (const table of app.querySelectorAll<HTMLTableElement>("main table:not([tabindex])")) table.tabIndex = 0;
}).observe(app, { childList: true, subtree: true });
void route();
