// Running the app's Lua scripts (each lives in a `.lua` file beside the module that uses it).
export { LuaScript } from './lua-script';
