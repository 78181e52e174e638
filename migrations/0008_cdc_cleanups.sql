CREATE TYPE "public"."cdc_cleanup_state" AS ENUM('pending', 'done');--> statement-breakpoint
CREATE TABLE "cdc_cleanups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"data_source_id" uuid NOT NULL,
	"target_id" uuid,
	"job_id" uuid NOT NULL,
	"job_name" text NOT NULL,
	"slot" text NOT NULL,
	"publication" text NOT NULL,
	"source_clean" boolean DEFAULT false NOT NULL,
	"target_clean" boolean DEFAULT false NOT NULL,
	"state" "cdc_cleanup_state" DEFAULT 'pending' NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cdc_cleanups" ADD CONSTRAINT "cdc_cleanups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdc_cleanups" ADD CONSTRAINT "cdc_cleanups_data_source_id_data_sources_id_fk" FOREIGN KEY ("data_source_id") REFERENCES "public"."data_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cdc_cleanups" ADD CONSTRAINT "cdc_cleanups_target_id_data_sources_id_fk" FOREIGN KEY ("target_id") REFERENCES "public"."data_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cdc_cleanups_pending_idx" ON "cdc_cleanups" USING btree ("tenant_id","data_source_id") WHERE "cdc_cleanups"."state" = 'pending';