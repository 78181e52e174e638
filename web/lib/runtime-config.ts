/** Values the server reads from its environment at request time and hands to the browser. */
export interface RuntimeConfig {
  wsUrl: string | null;
  /** The api's public URL, shown in the agent install command. */
  apiPublicUrl: string | null;
}

let current: RuntimeConfig = { wsUrl: null, apiPublicUrl: null };

export function setRuntimeConfig(c: RuntimeConfig): void {
  current = c;
}

export function runtimeConfig(): RuntimeConfig {
  return current;
}
