/**
 * `promise`, or a rejection with `message` once `ms` have passed, whichever comes first (the race
 * handles the loser's later rejection, so a command failing after its time is no crash).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
