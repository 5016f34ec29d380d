// Replaced below by the real global setup (embedded services for integration tests).
export default async function setup(): Promise<void> {}
