/** One error boundary per page, started afresh whenever the officer moves to another section. */
import type { ReactNode } from 'react';
import { ErrorBoundary } from './ErrorBoundary';

export function PageBoundary(props: { section: string; title: string; children: ReactNode }) {
  return (
    <ErrorBoundary key={props.section} what={`the ${props.title} page`}>
      {props.children}
    </ErrorBoundary>
  );
}
