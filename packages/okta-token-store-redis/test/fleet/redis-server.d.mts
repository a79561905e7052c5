export const REDIS_SERVER: string;
export function redisServerAvailable(): boolean;
export interface RedisServer {
  port: number;
  url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  pause(ms: number): Promise<void>;
  stop(): Promise<void>;
}
export function startRedisServer(options?: { args?: string[] | (() => Promise<string[]>); config?: string }): Promise<RedisServer>;
export function startRedisSentinel(masterPort: number, name?: string): Promise<RedisServer>;
