export { FEED_OUTCOMES, startWeatherFeed, type FeedOutcome, type WeatherFeed, type WeatherFeedOptions, type WeatherFeedStats } from './weather-feed.js';
