import { portKey, type PortRef } from './correlate.js';

/** The last known carrier of every watched port, updated as changes arrive (before correlation). */
export class CarrierState {
  private readonly state = new Map<string, boolean>();

  set(host: string, nic: string, carrier: boolean): void {
    this.state.set(portKey(host, nic), carrier);
  }

  /** undefined when the port is not watched (or its host never answered). */
  get(port: PortRef): boolean | undefined {
    return this.state.get(portKey(port.host, port.nic));
  }

  isUp(port: PortRef): boolean {
    return this.get(port) === true;
  }
}
