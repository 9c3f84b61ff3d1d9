/** An event handler that keeps the browser's default (a form's page load) and runs `action`. */
export function preventDefault(action: () => unknown): (event: Event) => void {
  return (event) => {
    event.preventDefault();
    action();
  };
}
