export { parseWeatherCompanion, parseWeatherOptions, type CompanionConfig, type RawCompanionOptions, type RawWeatherOptions, type WeatherConfig } from './options.js';
