/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // No Next.js dev indicator in the corner (only `next dev` has one; `npm run dev` serves a build).
  devIndicators: false,
};
export default nextConfig;
