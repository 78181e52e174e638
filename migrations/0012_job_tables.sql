CREATE TYPE "public"."job_table_state" AS ENUM('snapshotting', 'streaming', 'paused', 'quarantined', 'resyncing', 'removed');--> statement-breakpoint
CREATE TABLE "job_tables" (
	"tenant_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"table_key" text NOT NULL,
	"state" "job_table_state" NOT NULL,
	"reason" text,
	"rows_copied" bigint,
	"resync_request" uuid,
	"resync_requested_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_tables_job_id_table_key_pk" PRIMARY KEY("job_id","table_key")
);
--> statement-breakpoint
ALTER TABLE "job_tables" ADD CONSTRAINT "job_tables_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_tables" ADD CONSTRAINT "job_tables_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_tables_tenant_job_idx" ON "job_tables" USING btree ("tenant_id","job_id");