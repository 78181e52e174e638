ALTER TABLE "data_sources" ADD COLUMN "last_test_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "last_test_ok" boolean;--> statement-breakpoint
ALTER TABLE "data_sources" ADD COLUMN "last_test_summary" text;