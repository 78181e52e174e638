ALTER TABLE "verification_results" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "verification_results" ADD COLUMN "detail" jsonb;