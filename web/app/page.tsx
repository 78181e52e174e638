export default function Home() {
  return (
    <main>
      <h1>Sluice</h1>
    </main>
  );
}
