// Integration tests run after test/services/up.sh (called by test/run.sh).
export default async function setup(): Promise<void> {}
