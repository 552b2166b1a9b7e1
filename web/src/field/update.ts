// Installs the service worker (built as /sw.js) and handles its updates: a new version installs
// in the background and waits; the page lets it take over (and reloads) only when the user asks
// and the outbox holds no unsent entry. Also starts a sync whenever the device comes online.
import { h } from "../dom";
import { t } from "../i18n";
import * as outbox from "./outbox";
import { sync } from "./sync";

/** The banner offering the waiting version (one at a time). */
async function offer(worker: ServiceWorker): Promise<void> {
  document.getElementById("sw-update")?.remove();
  const unsent = (await outbox.list().catch(() => [])).length;
  const banner = h("div", { id: "sw-update", class: "sw-update", role: "status" },
    unsent ? t("field.update_wait", { n: unsent }) : t("field.update_ready"), " ",
    unsent ? h("a", { href: "#/field/outbox" }, t("field.outbox"))
      : h("button", { type: "button", id: "sw-update-now", onclick: () => worker.postMessage({ type: "skip-waiting" }) }, t("field.update_now")));
  document.body.prepend(banner);
}

/** Registers the service worker (built pages only) and the sync on reconnection. */
export function startOffline(): void {
  window.addEventListener("online", () => {
    void outbox.list().then((entries) => { if (entries.some((e) => e.state === "waiting")) void sync(); }).catch(() => undefined);
  });
  if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
  const hadController = navigator.serviceWorker.controller !== null;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // The first install takes control silently; a later version reloads the page it updated.
    if (hadController) location.reload();
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((reg) => {
    const watch = (w: ServiceWorker | null) => {
      if (!w) return;
      w.addEventListener("statechange", () => { if (w.state === "installed" && navigator.serviceWorker.controller) void offer(w); });
    };
    if (reg.waiting && navigator.serviceWorker.controller) void offer(reg.waiting);
    watch(reg.installing);
    reg.addEventListener("updatefound", () => watch(reg.installing));
  }).catch(() => undefined);
}
