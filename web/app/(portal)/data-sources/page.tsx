'use client';

import Link from 'next/link';
import { KIND_LABEL } from '../../../components/status';
import { Badge, Empty, PageHeader, QueryView, DataTable } from '../../../components/ui';
import { timeAgo } from '../../../lib/format';
import { useQuery } from '../../../lib/hooks';
import { DATA_SOURCES, endpoint } from '../../../lib/ops/data-sources';
import { useSession } from '../../../lib/session';

export default function DataSourcesPage() {
  const { can } = useSession();
  const q = useQuery(DATA_SOURCES, {});
  const canEdit = can('OPERATOR');
  const newBtn = canEdit ? (
    <Link className="btn btn-primary" href="/data-sources/new">
      New data source
    </Link>
  ) : null;
  return (
    <>
      <PageHeader title="Data sources" description="Databases and Kafka clusters your agents connect to. Passwords are write-only." actions={newBtn} />
      <div className="card">
        <QueryView state={q}>
          {(d) =>
            d.dataSources.length === 0 ? (
              <Empty title="No data sources yet" action={newBtn}>
                Add the database you copy from and the one you copy to.
              </Empty>
            ) : (
              <DataTable columns={['Name', 'Kind', 'Endpoint', 'Health', 'Secret', 'Updated']}>
                {d.dataSources.map((ds) => (
                  <tr key={ds.id}>
                    <td data-label="Name">
                      <Link href={`/data-sources/${ds.id}`}>{ds.name}</Link>
                    </td>
                    <td data-label="Kind">
                      <Badge>{KIND_LABEL[ds.kind] ?? ds.kind}</Badge>
                    </td>
                    <td data-label="Endpoint" className="mono break">
                      {endpoint(ds)}
                    </td>
                    <td data-label="Health" data-testid={`health-${ds.name}`} data-ok={ds.lastTest ? String(ds.lastTest.ok) : undefined}>
                      {ds.lastTest ? (
                        <span title={ds.lastTest.summary}>
                          <Badge tone={ds.lastTest.ok ? 'ok' : 'danger'} dot>
                            {ds.lastTest.ok ? 'passing' : 'failing'}
                          </Badge>{' '}
                          <span className="muted small nowrap">tested {timeAgo(ds.lastTest.at)}</span>
                          {!ds.lastTest.ok ? (
                            <span className="small break" style={{ display: 'block' }}>
                              {ds.lastTest.summary}
                            </span>
                          ) : null}
                        </span>
                      ) : (
                        <span className="muted">never tested</span>
                      )}
                    </td>
                    <td data-label="Secret">{ds.hasSecret ? <Badge tone="ok">set</Badge> : <span className="muted">none</span>}</td>
                    <td data-label="Updated" className="muted nowrap">
                      {timeAgo(ds.updatedAt)}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )
          }
        </QueryView>
      </div>
    </>
  );
}
