// Running Lua scripts: each lives in a `.lua` file beside the module that uses it.
export { LuaScript, type RedisPipeline } from './lua-script';
