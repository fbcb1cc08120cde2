/**
 * A page that fails does not take the console with it: the failure is shown in place of that page
 * (what failed, the error's words, a way to try again), while the top bar, the navigation and the
 * flash banner keep working. The shell keys one boundary per page, so moving to another section
 * starts it afresh.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What is inside, for the officer: "the map", "the Findings page". */
  what: string;
  children: ReactNode;
  /** Called before the children are rendered again (e.g. to retry loading a code chunk). */
  onRetry?: () => void;
}

interface State {
  error: Error | undefined;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Left in the browser's console for whoever investigates; the page says what happened.
    console.error(`Parley console: ${this.props.what} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const chunk = /dynamically imported module|Importing a module script failed|Failed to fetch|error loading dynamically/i.test(error.message);
    return (
      <div className="page-failure" role="alert" data-testid="page-failure">
        <h2>{chunk ? `${capital(this.props.what)} could not be loaded` : `${capital(this.props.what)} failed`}</h2>
        <p>
          {chunk
            ? 'Its code did not arrive from the node (the link may be down or the node restarting). The rest of the console works.'
            : 'Something in it could not be shown. The rest of the console works; the record is unaffected.'}
        </p>
        <p className="muted small">
          <code>{error.name}: {error.message}</code>
        </p>
        <button
          type="button"
          onClick={() => {
            this.props.onRetry?.();
            this.setState({ error: undefined });
          }}
        >
          Try again
        </button>
      </div>
    );
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
