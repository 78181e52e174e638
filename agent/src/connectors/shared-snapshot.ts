/**
 * A source whose snapshot other processes can import while this one keeps it open (PG: an exported snapshot).
 * A spread full load's chunk tasks on other agents then read the same image as the coordinator (engine/spread.ts).
 */
export interface SharedSnapshot {
  /** The id of the snapshot plan() opened, while it is open. */
  exportedSnapshot?(): string | undefined;
  /** Read inside a snapshot another process exported (call before plan()). */
  importSnapshot?(id: string): void;
}
