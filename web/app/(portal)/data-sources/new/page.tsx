'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { DataSourceForm } from '../../../../components/data-source-form';
import { Alert, PageHeader, useToast } from '../../../../components/ui';
import { useMutation } from '../../../../lib/hooks';
import { CREATE_DATA_SOURCE } from '../../../../lib/ops/data-sources';
import { useSession } from '../../../../lib/session';

export default function NewDataSourcePage() {
  const router = useRouter();
  const toast = useToast();
  const { can } = useSession();
  const [create, state] = useMutation(CREATE_DATA_SOURCE);
  return (
    <>
      <PageHeader title="New data source" breadcrumb={<Link href="/data-sources">Data sources</Link>} />
      <div className="card" style={{ maxWidth: 720 }}>
        <div className="card-body">
          {can('OPERATOR') ? (
            <DataSourceForm
              submitLabel="Create data source"
              loading={state.loading}
              error={state.error}
              onCancel={() => router.push('/data-sources')}
              onSubmit={async (input) => {
                try {
                  const r = await create({ input });
                  toast(`Data source “${r.createDataSource.name}” created`);
                  router.push(`/data-sources/${r.createDataSource.id}`);
                } catch {
                  /* shown in form */
                }
              }}
            />
          ) : (
            <Alert tone="info" title="Read-only access">
              Your role can view data sources but not create them.
            </Alert>
          )}
        </div>
      </div>
    </>
  );
}
