// Alert delivery: every notice is a structured JSON line on stdout when it is queued, and is POSTed
// to the webhook from the persisted outbox until the webhook answers 2xx (at least once, stable id,
// so the receiver can de-duplicate).
import type { Alert } from "./rules.ts";
import { diffAlerts } from "./rules.ts";
import type { MonitorStore, Notice } from "./store.ts";

export type AlertSink = { stdout?: (line: string) => void; webhookUrl?: string; timeoutMs?: number };

export class AlertManager {
  private store: MonitorStore;
  private sink: AlertSink;
  constructor(store: MonitorStore, sink: AlertSink = {}) {
    this.store = store;
    this.sink = sink;
  }

  private queue(n: Notice): void {
    if (!this.store.enqueue(n)) return;
    const line = JSON.stringify({
      t: n.at,
      svc: "monitor",
      level: n.alert.severity === "info" ? "info" : "warn",
      notice: n.kind,
      ...n.alert,
    });
    (this.sink.stdout ?? ((l: string) => process.stdout.write(l + "\n")))(line);
  }

  /** Replace the active set of one rule group; raise what is new, clear what is gone. */
  standing(group: string, now: Alert[]): { raised: Alert[]; cleared: Alert[] } {
    const d = diffAlerts(this.store.active(group), now);
    const at = new Date().toISOString();
    this.store.tx(() => {
      for (const a of d.raised) {
        this.store.setActive(group, a);
        this.queue({ id: `raised:${a.key}:${at}`, kind: "raised", alert: a, at });
      }
      for (const a of d.cleared) {
        this.store.clearActive(a.key);
        this.queue({ id: `cleared:${a.key}:${at}`, kind: "cleared", alert: a, at });
      }
    });
    return d;
  }

  /** One-off alerts (an upgrade, an expensive liquidation): raised once per key, ever. */
  events(alerts: Alert[]): void {
    const at = new Date().toISOString();
    for (const a of alerts) this.queue({ id: `event:${a.key}`, kind: "event", alert: a, at });
  }

  active(): Alert[] {
    return this.store.active();
  }

  /** POST undelivered notices in order; stops at the first failure (retried next time). */
  async deliver(): Promise<{ delivered: number; failed: boolean }> {
    if (!this.sink.webhookUrl) return { delivered: 0, failed: false };
    let delivered = 0;
    for (const n of this.store.undelivered()) {
      try {
        const res = await fetch(this.sink.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(n),
          signal: AbortSignal.timeout(this.sink.timeoutMs ?? 5_000),
        });
        if (!res.ok) return { delivered, failed: true };
        this.store.markDelivered(n.id);
        delivered += 1;
      } catch {
        return { delivered, failed: true };
      }
    }
    return { delivered, failed: false };
  }
}
