// Inventory client used by the micro-benchmarks (benches/hot_path.rs): a typical
// TypeScript service module with HTTP calls, error handling and configuration.
import axios, { AxiosInstance } from "axios";
import { Logger } from "./logger";

export interface Item {
  sku: string;
  quantity: number;
  warehouse?: string;
}

const baseURL = process.env.INVENTORY_URL ?? "http://inventory:8080";

export class InventoryClient {
  private http: AxiosInstance;

  constructor(private readonly log: Logger, timeoutMs = 2000) {
    this.http = axios.create({ baseURL, timeout: timeoutMs });
  }

  async reserve(items: Item[], orderId: string): Promise<boolean> {
    try {
      const res = await this.http.post(`/reservations/${orderId}`, { items });
      return res.status === 201;
    } catch (err) {
      this.log.error({ err, orderId }, "reservation failed");
      throw err;
    }
  }

  async release(orderId: string): Promise<void> {
    await fetch(`${baseURL}/reservations/${orderId}`, { method: "DELETE" }).catch(() => {});
  }

  async stock(sku: string): Promise<number> {
    const res = await fetch(`${baseURL}/stock/${encodeURIComponent(sku)}`, {
      signal: AbortSignal.timeout(1500),
    });
    if (!res.ok) {
      this.log.warn({ sku, status: res.status }, "stock lookup failed");
      return 0;
    }
    const body = (await res.json()) as { quantity: number };
    return body.quantity;
  }

  async restock(batch: Item[]): Promise<number> {
    let done = 0;
    for (const item of batch) {
      try {
        await axios.put(`${baseURL}/stock/${item.sku}`, item);
        done += 1;
      } catch {
        // keep going: a partial restock is retried by the nightly job
      }
    }
    return done;
  }
}
