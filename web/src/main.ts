// The app shell: login, role-aware navigation, hash routes, language switch.
import "./style.css";
import { ApiError, logout, me, type Me } from "./api";
import { clear, h } from "./dom";
import { LOCALES, lang, setLang, t } from "./i18n";
import { renderLogin } from "./views/login";

const app = document.getElementById("app")!;
let user: Me | null = null;

function nav(): HTMLElement {
  const link = (href: string, label: string) =>
    h("a", { href, class: location.hash.startsWith(href) ? "active" : undefined }, label);
  const select = h(
    "select",
    { "aria-label": t("lang"), id: "lang", onchange: (e: Event) => { setLang((e.target as HTMLSelectElement).value); route(); } },
    ...Object.entries(LOCALES).map(([code, l]) => h("option", { value: code, selected: code === lang() }, l.name)),
  );
  return h(
    "header",
    {},
    h("strong", { class: "brand" }, t("app.name")),
    h("nav", {}, link("#/map", t("nav.map")), link("#/hazards", t("nav.hazards"))),
    h("span", { class: "spacer" }),
    select,
    h("span", { class: "who", title: `${user?.role} · ${user?.organisation}` }, user?.display_name ?? ""),
    h("button", { id: "logout", onclick: async () => {
      await logout();
      // A fresh page: nothing of the session (requests in flight, map state) survives.
      history.replaceState(null, "", "/");
      location.reload();
    } }, t("nav.logout")),
  );
}

async function route(): Promise<void> {
  document.documentElement.lang = lang();
  if (!user) {
    try {
      user = await me();
    } catch (e) {
      if (!(e instanceof ApiError) || e.problem.status !== 401) throw e;
    }
  }
  clear(app);
  if (!user) {
    renderLogin(app, () => { user = null; route(); });
    return;
  }
  const main = h("main", {});
  app.append(nav(), main);
  const hash = location.hash || "#/map";
  const hazard = hash.match(/^#\/hazards\/([A-Za-z0-9-]+)$/);
  if (hazard) {
    const { renderHazard } = await import("./views/hazard");
    await renderHazard(main, hazard[1]);
  } else if (hash.startsWith("#/hazards")) {
    const { renderHazards } = await import("./views/hazards");
    await renderHazards(main);
  } else {
    const { renderMap } = await import("./views/map");
    await renderMap(main);
  }
}

window.addEventListener("hashchange", () => void route());
route().catch((e) => {
  clear(app);
  app.append(h("p", { class: "error" }, t("error.generic", { detail: String(e?.message ?? e) })));
});
