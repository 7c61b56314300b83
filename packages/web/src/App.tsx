export function App() {
  return (
    <main>
      <h1>AIMS</h1>
      <p>Astronomy Image Management System</p>
    </main>
  );
}
