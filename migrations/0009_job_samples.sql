CREATE TABLE "job_samples" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"job_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"load_rate" double precision,
	"cdc_rate" double precision,
	"lag_ms" double precision
);
--> statement-breakpoint
ALTER TABLE "job_samples" ADD CONSTRAINT "job_samples_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "job_samples" ADD CONSTRAINT "job_samples_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_samples_job_at_idx" ON "job_samples" USING btree ("tenant_id","job_id","at");