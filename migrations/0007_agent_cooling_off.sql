ALTER TABLE "agents" ADD COLUMN "violation_strikes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "cooling_off_until" timestamp with time zone;