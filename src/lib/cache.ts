/** A narrow key-value cache with expiry; Redis in production, a Map in unit tests. */
export interface CachePort {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
}
