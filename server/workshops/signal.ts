/** A list of listeners for one kind of news (the registry has four: changes, alerts, ingests, cluster messages). */
export class Signal<T> {
  private readonly listeners: ((value: T) => void)[] = [];

  on(listener: (value: T) => void): void {
    this.listeners.push(listener);
  }

  emit(value: T): void {
    for (const l of this.listeners) l(value);
  }

  get heard(): boolean {
    return this.listeners.length > 0;
  }
}
