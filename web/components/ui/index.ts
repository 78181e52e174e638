// The portal's design-system components, one component (or small family) a file. Import from '@/components/ui'.
export { Button } from './button';
export { Field } from './field';
export { Alert, ErrorAlert } from './alerts';
export { Empty, Loading, QueryView } from './states';
export { PageHeader } from './page-header';
export { StatCard } from './stat-card';
export { DataTable } from './data-table';
export { Badge, type Tone } from './badge';
export { ConfirmDialog, Dialog, MutationConfirmDialog } from './dialog';
export { CopyBox } from './copy-box';
export { ProgressBar } from './progress-bar';
export { ToastProvider, useToast } from './toast';
